import { defineCommand } from "citty";
import { randomBytes } from "node:crypto";
import { UserError } from "../errors/user-error.ts";
import { HistoryBrowser } from "../history/history-browser.ts";
import { uiPage } from "../ui/page.ts";
import { isLoopback, startUiServer } from "../ui/server.ts";
import { locateHistory } from "./history.ts";
import { masked, printErr, printOut } from "./output.ts";

/** The port `aiorch ui` takes unless `--port` says otherwise. */
export const DEFAULT_UI_PORT = 8491;

export const uiCommand = defineCommand({
  meta: {
    name: "ui",
    description:
      "Browse the history in a web browser: runs (filters, pages), one run's timeline, DAG, steps and foreach items, costs by pipeline and model, a pipeline's trend; a run still going updates live. Served by this binary on 127.0.0.1; read-only; nothing is fetched from the network.",
  },
  args: {
    port: {
      type: "string",
      alias: "p",
      description: `Port to listen on (default ${DEFAULT_UI_PORT}; 0 takes a free one)`,
      valueHint: "N",
    },
    host: {
      type: "string",
      description:
        "Address to listen on (default 127.0.0.1). Any other address is reachable from other machines: a warning is printed and every request needs the token of the printed link",
      valueHint: "ADDRESS",
    },
    open: { type: "boolean", description: "Open the page in the default browser" },
    config: {
      type: "string",
      alias: "c",
      description:
        "Config file (default: aiorch.yaml in or above the current folder, else $AIORCH_HOME/config.yaml); its storage.path says where the history is",
      valueHint: "FILE",
    },
  },
  async run({ args }) {
    const port = portOf(args.port);
    const hostname = hostOf(args.host);
    const file = locateHistory(args.config);
    const token = isLoopback(hostname) ? undefined : randomBytes(24).toString("base64url");
    const page = await uiPage();
    const browser = HistoryBrowser.open(file);
    let server;
    try {
      server = startUiServer({ browser, hostname, port, page, mask: masked, ...(token ? { token } : {}) });
    } catch (error) {
      browser.close();
      throw listenError(error, hostname, port);
    }
    const shownHost = hostname.includes(":") ? `[${hostname}]` : hostname;
    const url = `http://${shownHost}:${server.port}/${token ? `?token=${token}` : ""}`;
    if (token) {
      printErr(
        `warning: listening on ${hostname}, not only on this machine: whoever can reach it and has the link can read every run (inputs, outputs, logs, errors). Every request needs the token in the link.`,
      );
    }
    printOut(`aiorch ui: ${url}\nhistory: ${file}\nread-only; Ctrl-C stops it`);
    if (args.open) openInBrowser(url);
    await new Promise<void>((resolve) => {
      const stop = () => {
        server.stop(true);
        browser.close();
        resolve();
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
  },
});

function portOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_UI_PORT;
  const port = Number(value);
  if (value.trim() === "" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UserError(`--port must be a whole number from 0 to 65535, got ${JSON.stringify(value)}`, {
      hint: `e.g. --port ${DEFAULT_UI_PORT}; --port 0 takes a free one`,
    });
  }
  return port;
}

function hostOf(value: string | undefined): string {
  if (value === undefined) return "127.0.0.1";
  const host = value.trim().replace(/^\[(.*)\]$/, "$1");
  if (host === "" || /[\s/?#@]/.test(host))
    throw new UserError(`--host must be an address or host name, got ${JSON.stringify(value)}`, {
      hint: "e.g. --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every interface)",
    });
  return host;
}

function listenError(error: unknown, hostname: string, port: number): unknown {
  const code = (error as { code?: string }).code;
  if (code === "EADDRINUSE")
    return new UserError(`port ${port} on ${hostname} is in use`, {
      hint: "pick another with --port N, or --port 0 for a free one",
    });
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_NONAME")
    return new UserError(`cannot listen on ${hostname}: no such address on this machine`, {
      hint: "use --host 127.0.0.1, or an address of one of this machine's interfaces",
    });
  if (code === "EACCES")
    return new UserError(`not allowed to listen on port ${port}`, {
      hint: "ports below 1024 need privileges: pick --port 8491, for example",
    });
  return error;
}

/** The system's way of opening a link; a failure only says so (the link is printed anyway). */
function openInBrowser(url: string): void {
  const command =
    process.platform === "darwin"
      ? ["open", url]
      : process.platform === "win32"
        ? ["cmd", "/c", "start", "", url]
        : ["xdg-open", url];
  try {
    const child = Bun.spawn(command, { stdout: "ignore", stderr: "ignore", stdin: "ignore" });
    child.unref();
  } catch {
    printErr(`could not open a browser (${command[0]} failed): open ${url} yourself`);
  }
}
