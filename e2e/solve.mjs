// Runs rattler's solver (the conda solver used by pixi and rattler-build) against
// live channels, so end-to-end tests can check that a channel Wharf serves is
// solvable by a real client.
//
// Request (first argument, or stdin when there is none):
//   {"specs": ["b", "a <2"], "channels": ["http://host/conda/ch"], "platforms": ["linux-64", "noarch"]}
// Reply on stdout, exit code 0 whether or not the specs are satisfiable:
//   {"ok": true, "records": [{"name", "version", "build", "url", "sha256", ...}]}
//   {"ok": false, "error": "<rattler's message>"}
// A non-zero exit code means the harness itself failed (bad request, missing module).

import { simpleSolve } from "@conda-org/rattler";

async function readRequest() {
  if (process.argv.length > 2) {
    return process.argv[2];
  }
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function stringList(request, key) {
  const value = request[key];
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw new Error(`request field "${key}" must be an array of strings`);
  }
  return value;
}

// SolvedPackage is a wasm-backed class whose numeric fields are bigints, which
// JSON.stringify rejects; copy the fields out into plain values.
function plain(pkg) {
  const number = (value) => (value === undefined || value === null ? null : Number(value));
  return {
    name: pkg.packageName,
    version: pkg.version,
    build: pkg.build,
    buildNumber: number(pkg.buildNumber),
    subdir: pkg.subdir ?? null,
    filename: pkg.filename,
    url: pkg.url,
    channel: pkg.repoName ?? null,
    size: number(pkg.size),
    md5: pkg.md5 ?? null,
    sha256: pkg.sha256 ?? null,
    depends: pkg.depends ?? [],
  };
}

function message(error) {
  if (error instanceof Error) {
    return error.message;
  }
  return typeof error === "string" ? error : JSON.stringify(error);
}

let specs, channels, platforms;
try {
  const request = JSON.parse(await readRequest());
  specs = stringList(request, "specs");
  channels = stringList(request, "channels");
  platforms = stringList(request, "platforms");
} catch (error) {
  process.stderr.write(`solve.mjs: bad request: ${message(error)}\n`);
  process.exit(2);
}

let reply;
try {
  const solved = await simpleSolve(specs, channels, platforms);
  const records = solved.map(plain);
  records.sort((x, y) => x.name.localeCompare(y.name));
  reply = { ok: true, records };
} catch (error) {
  reply = { ok: false, error: message(error) };
}
process.stdout.write(JSON.stringify(reply) + "\n");
