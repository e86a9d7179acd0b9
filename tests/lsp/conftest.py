"""End-to-end tests of `acrlint server` with a real LSP client (pytest-lsp).

The server is the binary named by $ACRLINT_BIN (default: target/debug/acrlint). Each test works on
a copy of testdata/demo, so that nothing it does touches the repository.
"""

import asyncio
import os
import pathlib
import shutil
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities, make_test_lsp_client

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("ACRLINT_BIN", str(ROOT / "target" / "debug" / "acrlint"))


@pytest.fixture
def workspace(tmp_path):
    shutil.copytree(ROOT / "testdata" / "demo", tmp_path / "demo")
    return tmp_path / "demo"


def init_params(folder: pathlib.Path, **options) -> types.InitializeParams:
    return types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(), name=folder.name)],
        initialization_options=options,
    )


def make_client() -> LanguageClient:
    """pytest-lsp's client, which also accepts the file watchers the server registers (as VS
    Code does), recording them."""
    client = make_test_lsp_client()
    client.registrations = []

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        client.registrations.extend(params.registrations)

    return client


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[BIN, "server"], client_factory=make_client)
)
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


async def wait_for(client: LanguageClient, uri: str, predicate, timeout=20.0):
    """The diagnostics of `uri` once `predicate` holds for them."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        diagnostics = client.diagnostics.get(uri)
        if diagnostics is not None and predicate(diagnostics):
            return diagnostics
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out; last diagnostics of {uri}: {diagnostics}")
        await asyncio.sleep(0.05)


def codes(diagnostics):
    return sorted(d.code for d in diagnostics if d.code)
