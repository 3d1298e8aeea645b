import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

const PY = `
import sys, zipfile, json
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    infos = z.infolist()
    print(json.dumps({"bad": bad, "count": len(infos), "names": [i.filename for i in infos[:50]],
                      "sizes": [i.file_size for i in infos[:50]], "utf8": all(i.flag_bits & 0x800 for i in infos),
                      "m3u": [z.read(i).decode() for i in infos if i.filename.endswith(".m3u")]}))
`;

export interface PythonView {
  bad: string | null;
  count: number;
  names: string[];
  sizes: number[];
  utf8: boolean;
  m3u: string[];
}

/** Reads the archive with Python's zipfile: every CRC checked (testzip), names and M3U contents returned. */
export async function pythonZip(file: string): Promise<PythonView> {
  const { stdout } = await run('python3', ['-c', PY, file], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as PythonView;
}

/** Debian's Info-ZIP `unzip -t`: exit status 0 only when every entry's CRC and structure check out. */
export async function unzipTest(file: string): Promise<string> {
  const { stdout } = await run('unzip', ['-t', '-qq', file], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
