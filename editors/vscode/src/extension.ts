// Starts `acrlint server` (from PATH, or the `acrlint.path` setting) as the language server of
// Terraform, Bicep and ARM template files.
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration("acrlint");
  const command = config.get<string>("path") || "acrlint";
  const serverOptions: ServerOptions = { command, args: ["server"] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", pattern: "**/*.{tf,tfvars,bicep,bicepparam}" },
      { scheme: "file", pattern: "**/*.tf.json" },
      { scheme: "file", language: "json" },
      { scheme: "file", language: "jsonc" },
      // Data files a configuration reads (`yamldecode(file(...))`, `loadYamlContent(...)`):
      // their unsaved text counts; the server gives them no diagnostics of their own.
      { scheme: "file", language: "yaml" },
    ],
    initializationOptions: { showUnknown: config.get<boolean>("showUnknown") ?? false },
  };
  client = new LanguageClient("acrlint", "acrlint", serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("acrlint") && client) {
        await client.stop();
        await activate(context);
      }
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
