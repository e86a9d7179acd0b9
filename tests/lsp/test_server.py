"""acrlint server, driven by a real LSP client."""

import json
import pathlib
import subprocess

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from conftest import codes, init_params, wait_for


def open_doc(client, path: pathlib.Path, language="terraform"):
    text = path.read_text()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=path.as_uri(), language_id=language, version=1, text=text
            )
        )
    )
    return text


def change(client, path: pathlib.Path, text: str, version: int):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(
                uri=path.as_uri(), version=version
            ),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def apply(text: str, edits) -> str:
    """Apply text edits (given in LSP positions; the demo is ASCII) to a text."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    at = lambda p: offsets[p.line] + p.character
    for e in sorted(edits, key=lambda e: at(e.range.start), reverse=True):
        text = text[: at(e.range.start)] + e.new_text + text[at(e.range.end) :]
    return text


async def test_diagnostics_of_the_workspace(client, workspace):
    await client.initialize_session(init_params(workspace))
    tf = workspace / "terraform"
    registry = await wait_for(client, (tf / "registry.tf").as_uri(), lambda d: len(d) == 2)
    assert codes(registry) == ["ACR001", "ACR010"]
    admin = next(d for d in registry if d.code == "ACR010")
    # The range is on the offending value: `admin_enabled = true` on line 7 (0-based 6).
    line = (tf / "registry.tf").read_text().split("\n")[6]
    assert line[admin.range.start.character : admin.range.end.character] == "true"
    assert admin.range.start.line == 6
    assert admin.severity == types.DiagnosticSeverity.Warning
    assert admin.source == "acrlint"
    public = next(d for d in registry if d.code == "ACR001")
    assert public.severity == types.DiagnosticSeverity.Error

    dns = await wait_for(client, (tf / "dns.tf").as_uri(), lambda d: len(d) == 1)
    zone = dns[0]
    assert zone.code == "ACR006"
    assert zone.range.start.line == 0
    related = {r.location.uri.rsplit("/", 1)[1] for r in zone.related_information}
    assert {"registry.tf", "network.tf"} <= related
    assert any("vnet" in r.message.lower() or "endpoint" in r.message.lower()
               for r in zone.related_information)

    arm = await wait_for(client, (workspace / "arm" / "azuredeploy.json").as_uri(),
                         lambda d: len(d) == 3)
    assert codes(arm) == ["ACR001", "ACR005", "ACR011"]
    # Undetermined results are hidden unless showUnknown is set.
    assert all(d.severity != types.DiagnosticSeverity.Hint for d in arm)


async def test_a_change_in_one_file_moves_a_finding_in_another(client, workspace):
    await client.initialize_session(init_params(workspace))
    tf = workspace / "terraform"
    dns_uri = (tf / "dns.tf").as_uri()
    await wait_for(client, dns_uri, lambda d: codes(d) == ["ACR006"])
    registry = tf / "registry.tf"
    text = open_doc(client, registry)
    # The staging endpoint moves to the app VNet, which the zone is linked to: the finding on
    # the zone in dns.tf goes away, from unsaved text.
    moved = text.replace("azurerm_subnet.staging_pe.id", "azurerm_subnet.app_pe.id")
    assert moved != text
    change(client, registry, moved, 2)
    await wait_for(client, dns_uri, lambda d: len(d) == 0)
    # Back: it appears again.
    change(client, registry, text, 3)
    await wait_for(client, dns_uri, lambda d: codes(d) == ["ACR006"])
    # Closing a document restores the disk's view.
    change(client, registry, moved, 4)
    await wait_for(client, dns_uri, lambda d: len(d) == 0)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=registry.as_uri()))
    )
    await wait_for(client, dns_uri, lambda d: codes(d) == ["ACR006"])


async def test_a_fix_in_one_file_clears_the_finding(client, workspace):
    await client.initialize_session(init_params(workspace))
    dns = workspace / "terraform" / "dns.tf"
    await wait_for(client, dns.as_uri(), lambda d: codes(d) == ["ACR006"])
    text = open_doc(client, dns)
    link = (
        '\nresource "azurerm_private_dns_zone_virtual_network_link" "staging" {\n'
        '  name                  = "staging"\n'
        "  resource_group_name   = azurerm_resource_group.rg.name\n"
        "  private_dns_zone_name = azurerm_private_dns_zone.acr.name\n"
        "  virtual_network_id    = azurerm_virtual_network.staging.id\n"
        "}\n"
    )
    change(client, dns, text + link, 2)
    await wait_for(client, dns.as_uri(), lambda d: len(d) == 0)


async def test_syntax_error_mid_edit(client, workspace):
    await client.initialize_session(init_params(workspace))
    tf = workspace / "terraform"
    registry = tf / "registry.tf"
    await wait_for(client, registry.as_uri(), lambda d: len(d) == 2)
    text = open_doc(client, registry)
    lines = text.split("\n")
    # Line 7 (0-based 6) loses its value and gains an unclosed string.
    lines[6] = '  admin_enabled       = "tru'
    change(client, registry, "\n".join(lines), 2)
    broken = await wait_for(
        client, registry.as_uri(),
        lambda d: any(x.code is None and x.severity == types.DiagnosticSeverity.Error for x in d),
    )
    error = next(x for x in broken if x.code is None)
    assert error.range.start.line == 6, error
    # The other scope's files keep their diagnostics.
    assert codes(client.diagnostics[(workspace / "arm" / "azuredeploy.json").as_uri()]) == [
        "ACR001", "ACR005", "ACR011"]
    # Typing on fixes it.
    change(client, registry, text, 3)
    await wait_for(client, registry.as_uri(), lambda d: codes(d) == ["ACR001", "ACR010"])


async def test_hover_shows_the_rule_and_the_fix(client, workspace):
    await client.initialize_session(init_params(workspace))
    registry = workspace / "terraform" / "registry.tf"
    diagnostics = await wait_for(client, registry.as_uri(), lambda d: len(d) == 2)
    open_doc(client, registry)
    admin = next(d for d in diagnostics if d.code == "ACR010")
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=registry.as_uri()),
            position=admin.range.start,
        )
    )
    assert hover is not None
    value = hover.contents.value
    assert "ACR010" in value and "registry-admin-user-enabled" in value
    assert "Why it matters" in value
    assert "How to fix (Terraform)" in value and "admin_enabled" in value
    # Nowhere near a finding: nothing.
    nothing = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=registry.as_uri()),
            position=types.Position(line=0, character=0),
        )
    )
    assert nothing is None


async def test_suppress_actions_insert_a_comment_that_suppresses(client, workspace):
    await client.initialize_session(init_params(workspace))
    registry = workspace / "terraform" / "registry.tf"
    diagnostics = await wait_for(client, registry.as_uri(), lambda d: len(d) == 2)
    text = open_doc(client, registry)
    for rule, where in [("ACR010", "attribute"), ("ACR001", "resource")]:
        target = next(d for d in client.diagnostics[registry.as_uri()] if d.code == rule)
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=registry.as_uri()),
                range=target.range,
                context=types.CodeActionContext(diagnostics=[target]),
            )
        )
        chosen = [a for a in actions if rule in a.title and where in a.title]
        assert chosen, [a.title for a in actions]
        action = chosen[0]
        assert action.kind == types.CodeActionKind.QuickFix
        edits = action.edit.changes[registry.as_uri()]
        text = apply(text, edits)
        assert f"acrlint:ignore {rule}" in text
        change(client, registry, text, 2 if rule == "ACR010" else 3)
        await wait_for(client, registry.as_uri(), lambda d, rule=rule: rule not in codes(d))
    assert "#  acrlint" not in text
    lines = text.split("\n")
    # The attribute's comment is indented as the attribute, the resource's is not.
    assert any(l.startswith("  # acrlint:ignore ACR010 ") for l in lines)
    assert any(l.startswith("# acrlint:ignore ACR001 ") for l in lines)
    await wait_for(client, registry.as_uri(), lambda d: len(d) == 0)


async def test_the_fix_of_a_finding_is_a_quick_fix(client, workspace):
    await client.initialize_session(init_params(workspace))
    registry = workspace / "terraform" / "registry.tf"
    await wait_for(client, registry.as_uri(), lambda d: len(d) == 2)
    text = open_doc(client, registry)
    target = next(d for d in client.diagnostics[registry.as_uri()] if d.code == "ACR010")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=registry.as_uri()),
            range=target.range,
            context=types.CodeActionContext(diagnostics=[target]),
        )
    )
    # The fix comes first; it changes who can log in, so it is not the preferred action.
    fix = actions[0]
    assert fix.title == "Fix ACR010: turn off the admin user (changes what is deployed)", fix.title
    assert fix.kind == types.CodeActionKind.QuickFix and not fix.is_preferred
    text = apply(text, fix.edit.changes[registry.as_uri()])
    assert "admin_enabled       = false" in text
    change(client, registry, text, 2)
    await wait_for(client, registry.as_uri(), lambda d: "ACR010" not in codes(d))


async def test_suppress_action_in_arm_json(client, workspace):
    await client.initialize_session(init_params(workspace))
    template = workspace / "arm" / "azuredeploy.json"
    diagnostics = await wait_for(client, template.as_uri(), lambda d: len(d) == 3)
    text = open_doc(client, template, "json")
    target = next(d for d in diagnostics if d.code == "ACR011")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=template.as_uri()),
            range=target.range,
            context=types.CodeActionContext(diagnostics=[target]),
        )
    )
    action = next(a for a in actions if "attribute" in a.title)
    text = apply(text, action.edit.changes[template.as_uri()])
    assert "// acrlint:ignore ACR011" in text
    change(client, template, text, 2)
    await wait_for(client, template.as_uri(), lambda d: codes(d) == ["ACR001", "ACR005"])


async def test_show_unknown_and_bad_requests(client, tmp_path):
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "main.tf").write_text(
        'variable "public" {}\n'
        'resource "azurerm_container_registry" "acr" {\n'
        '  name                          = "acr"\n'
        '  resource_group_name           = "rg"\n'
        '  location                      = "westeurope"\n'
        '  sku                           = "Premium"\n'
        "  public_network_access_enabled = var.public\n"
        "}\n"
    )
    await client.initialize_session(init_params(folder, showUnknown=True))
    main = folder / "main.tf"
    hints = await wait_for(client, main.as_uri(), lambda d: len(d) > 0)
    assert all(d.severity == types.DiagnosticSeverity.Hint for d in hints)
    assert "ACR001" in codes(hints)
    assert any("var.public" in d.message for d in hints)

    # A request for a document that is not open.
    with pytest.raises(JsonRpcException):
        await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=main.as_uri()),
                position=types.Position(line=0, character=0),
            )
        )
    # A position past the end of the document.
    open_doc(client, main)
    with pytest.raises(JsonRpcException):
        await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=main.as_uri()),
                position=types.Position(line=500, character=0),
            )
        )
    # An unknown method.
    with pytest.raises(JsonRpcException):
        await client.protocol.send_request_async("acrlint/unknown", {})
    # Still serving.
    hints = await wait_for(client, main.as_uri(), lambda d: len(d) > 0)
    assert "ACR001" in codes(hints)


async def test_configuration_is_read_and_reread(client, workspace):
    (workspace / ".acrlint.toml").write_text('ignore = ["ACR010"]\n')
    await client.initialize_session(init_params(workspace))
    registry = workspace / "terraform" / "registry.tf"
    await wait_for(client, registry.as_uri(), lambda d: codes(d) == ["ACR001"])
    (workspace / ".acrlint.toml").write_text('ignore = ["ACR001"]\n')
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=(workspace / ".acrlint.toml").as_uri(),
                                     type=types.FileChangeType.Changed)]
        )
    )
    await wait_for(client, registry.as_uri(), lambda d: codes(d) == ["ACR010"])


async def test_multiple_workspace_folders(client, workspace, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / ".acrlint.toml").write_text('ignore = ["ACR010"]\n')
    (other / "main.tf").write_text(
        'resource "azurerm_container_registry" "acr" {\n'
        '  name                = "acr"\n'
        '  resource_group_name = "rg"\n'
        '  location            = "westeurope"\n'
        '  sku                 = "Standard"\n'
        "  admin_enabled       = true\n"
        "}\n"
    )
    params = init_params(workspace)
    params.workspace_folders.append(types.WorkspaceFolder(uri=other.as_uri(), name="other"))
    await client.initialize_session(params)
    # Each folder with its own configuration.
    await wait_for(client, (other / "main.tf").as_uri(), lambda d: codes(d) == ["ACR001"])
    await wait_for(client, (workspace / "terraform" / "registry.tf").as_uri(),
                   lambda d: codes(d) == ["ACR001", "ACR010"])


async def test_clean_shutdown(client, workspace):
    await client.initialize_session(init_params(workspace))
    await wait_for(client, (workspace / "terraform" / "dns.tf").as_uri(), lambda d: len(d) == 1)
    await client.shutdown_session()
    assert client._server.returncode == 0
    client.capabilities = None  # the fixture has nothing left to shut down


def frame(payload: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(payload) + payload


def read_frame(stream) -> dict:
    length = None
    while True:
        line = stream.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return json.loads(stream.read(length))


def test_malformed_json_rpc_gets_an_error_and_the_server_goes_on(tmp_path):
    from conftest import BIN

    server = subprocess.Popen([BIN, "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        server.stdin.write(frame(b"{this is not json"))
        init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"capabilities": {}, "rootUri": tmp_path.as_uri()}}
        server.stdin.write(frame(json.dumps(init).encode()))
        server.stdin.flush()
        error = read_frame(server.stdout)
        assert error["id"] is None and error["error"]["code"] == -32700, error
        reply = read_frame(server.stdout)
        assert reply["id"] == 1 and reply["result"]["serverInfo"]["name"] == "acrlint"
        # `exit` without `shutdown` exits with 1, as the protocol says.
        server.stdin.write(frame(b'{"jsonrpc":"2.0","method":"exit"}'))
        server.stdin.flush()
        assert server.wait(timeout=20) == 1
    finally:
        server.kill()


async def test_bicep_module_finding_follows_the_callers_edit(client, tmp_path):
    import shutil
    from conftest import ROOT

    folder = tmp_path / "bicep"
    shutil.copytree(ROOT / "testdata/rules/ACR006/bicep/fail_linked_to_other_vnet_module", folder)
    await client.initialize_session(init_params(folder))
    dns = folder / "dns.bicep"
    diagnostics = await wait_for(client, dns.as_uri(), lambda d: codes(d) == ["ACR006"])
    # The compiled main.json shows the same mistake: reported once, on the Bicep line.
    assert not client.diagnostics.get((folder / "main.json").as_uri())
    main = folder / "main.bicep"
    text = open_doc(client, main, "bicep")
    # Hover in a Bicep document gives the Bicep fix.
    open_doc(client, dns, "bicep")
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=dns.as_uri()),
            position=diagnostics[0].range.start,
        )
    )
    assert "How to fix (Bicep)" in hover.contents.value
    # The caller links the zone to the endpoint's VNet: the module's finding goes.
    change(client, main, text.replace("vnetId: hubVnet.id", "vnetId: vnet.id"), 2)
    await wait_for(client, dns.as_uri(), lambda d: len(d) == 0)
