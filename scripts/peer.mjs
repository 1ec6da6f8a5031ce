// The CouchDB-protocol test peer: pouchdb-server (pinned in package.json), started in memory on
// 127.0.0.1 in a directory of its own under target/peer/, with one server admin, and stopped
// after. Apache CouchDB is in no package registry reachable here; pouchdb-server is a test peer
// only (its own maintainers advise against it for real use), and regdesk is coded to CouchDB's
// documentation, not to this peer's quirks (../shared/notes/couchdb.md; tests/sync_peer.rs
// records where the two differ).
//
//   import { startPeer } from "../../scripts/peer.mjs";  // { url, admin, stop() }
//   node scripts/peer.mjs run -- <command> [args…]       // the command runs with the peer up,
//                                                        // REGDESK_PEER_URL set; exit code kept
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/// The server admin the peer is started with (a test fixture; never a real password).
export const ADMIN = { name: "admin", password: "peer-admin-password" };

/// A port nobody listens on now.
function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

async function answers(url) {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/// Starts the peer; resolves once it answers `GET /`.
export async function startPeer() {
  mkdirSync(join(root, "target", "peer"), { recursive: true });
  const dir = mkdtempSync(join(root, "target", "peer", "run-"));
  const port = await freePort();
  writeFileSync(
    join(dir, "config.json"),
    JSON.stringify({ admins: { [ADMIN.name]: ADMIN.password }, log: { file: join(dir, "log.txt") } }),
  );
  const bin = join(root, "node_modules", "pouchdb-server", "bin", "pouchdb-server");
  const child = spawn(process.execPath, [bin, "-m", "-n", "-o", "127.0.0.1", "-p", String(port), "-c", join(dir, "config.json"), "-d", dir], {
    cwd: dir,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (!(await answers(url + "/"))) {
    if (child.exitCode !== null) throw new Error(`the test peer exited (${child.exitCode}): ${stderr}`);
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`the test peer did not answer on ${url} within 30 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    admin: ADMIN,
    /// Stops the peer and waits for it to exit.
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.kill();
      }),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [mode, dashes, command, ...args] = process.argv.slice(2);
  if (mode !== "run" || dashes !== "--" || !command) {
    console.error("usage: node scripts/peer.mjs run -- <command> [args…]");
    process.exit(2);
  }
  const peer = await startPeer();
  const auth = `${encodeURIComponent(peer.admin.name)}:${encodeURIComponent(peer.admin.password)}`;
  const env = { ...process.env, REGDESK_PEER_URL: peer.url.replace("http://", `http://${auth}@`) };
  console.error(`test peer: pouchdb-server on ${peer.url}`);
  const code = await new Promise((done) => {
    const run = spawn(command, args, { stdio: "inherit", env });
    run.once("exit", (c, signal) => done(c ?? (signal ? 1 : 0)));
    run.once("error", (e) => {
      console.error(`${command}: ${e.message}`);
      done(127);
    });
  });
  await peer.stop();
  process.exit(code);
}
