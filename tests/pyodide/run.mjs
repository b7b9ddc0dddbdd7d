// Run a Python script in Pyodide (the Python xlwings Lite runs) under Node.js, for tests/test_pyodide.py.
//
//   node run.mjs SITE SRC WORK SCRIPT
//
// SITE holds pure-Python packages unpacked as in a site-packages folder, SRC caseforms' source, WORK the
// files of the run; each is mounted into Pyodide's file system with Node's own (NODEFS) at /site, /src and
// /work. SCRIPT (a file in WORK) runs with /src and /site on sys.path. Nothing is fetched from the network:
// loadPackage is never called, so the packages Pyodide builds itself (lxml, python-calamine) are absent.
import { loadPyodide } from "pyodide";

const [site, src, work, script] = process.argv.slice(2);
const pyodide = await loadPyodide();
for (const [path, root] of [["/site", site], ["/src", src], ["/work", work]]) {
  pyodide.FS.mkdirTree(path);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root }, path);
}
pyodide.runPython(`import sys; sys.path[:0] = ["/src", "/site"]`);
try {
  await pyodide.runPythonAsync(pyodide.FS.readFile(`/work/${script}`, { encoding: "utf8" }));
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
