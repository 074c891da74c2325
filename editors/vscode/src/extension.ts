// Starts `afcheck server` for the files afcheck reads: Dockerfiles,
// Kubernetes, Helm and Compose YAML (and JSON manifests), airflow.cfg and
// .afcheck.yaml. Diagnostics, quick fixes, "fix all" and hover come from
// the server; this extension only launches it.

import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function serverOptions(): ServerOptions {
  const config = vscode.workspace.getConfiguration("afcheck");
  const command = config.get<string>("path") || "afcheck";
  return { command, args: ["server"] };
}

function clientOptions(): LanguageClientOptions {
  const config = vscode.workspace.getConfiguration("afcheck");
  return {
    documentSelector: [
      { scheme: "file", language: "dockerfile" },
      { scheme: "file", pattern: "**/*{Dockerfile,Containerfile}*" },
      { scheme: "file", language: "yaml" },
      { scheme: "file", pattern: "**/*.{yaml,yml}" },
      { scheme: "file", pattern: "**/*.json" },
      { scheme: "file", pattern: "**/*.cfg" },
      { scheme: "file", pattern: "**/{.dockerignore,*.dockerignore}" },
      { scheme: "untitled", language: "dockerfile" },
      { scheme: "untitled", language: "yaml" },
    ],
    initializationOptions: {
      debounceMs: config.get<number>("debounceMs", 150),
    },
    // The server registers its own file watchers (configuration, ignore
    // files and the files it reads) when the client allows it.
  };
}

async function start(): Promise<void> {
  client = new LanguageClient(
    "afcheck",
    "afcheck",
    serverOptions(),
    clientOptions(),
  );
  await client.start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("afcheck.restart", async () => {
      if (client) {
        await client.stop();
      }
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("afcheck.path") || e.affectsConfiguration("afcheck.debounceMs")) {
        await vscode.commands.executeCommand("afcheck.restart");
      }
    }),
  );
  try {
    await start();
  } catch (err) {
    void vscode.window.showErrorMessage(
      `afcheck: cannot start \`afcheck server\` (${String(err)}); set afcheck.path to the binary.`,
    );
  }
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
    client = undefined;
  }
}
