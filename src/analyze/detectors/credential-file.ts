// credential-file: the file reads a file that holds credentials — `.npmrc`, `.yarnrc(.yml)`, `.env*`,
// `.aws/credentials|config`, `.ssh/*`, `.git-credentials`, `.netrc`, `.docker/config.json`,
// `.kube/config`, gcloud and Azure CLI credentials, `/proc/<pid>/environ` and a few more (see
// flow/paths.ts) — when the path is a constant or built from the home folder, the project folder
// or %APPDATA% (flow/paths.ts folds `os.homedir()`, `process.env.HOME`, `~`, `process.cwd()`,
// `path.join/resolve`, templates, helpers and parameters). Reads are fs/fs-promises/fs-extra/
// graceful-fs `readFile*`, `createReadStream`, `open*`, `copyFile*`/`cp*`, `readdir*`, `readJson*`,
// Deno's and Bun's file readers, and shell commands that name such a file (`cat ~/.npmrc`).
//
// The detail is the path as written (`~/.npmrc`, `.env`, `/proc/self/environ`, `~/.ssh/*`).
// A dotenv loader reading `.env` in the project folder is reported too: the risk stage marks it
// expected.
//
// Existence checks (`existsSync`, `access`, `stat`) alone are not reads and are not reported: a tool
// probing for `~/.npmrc` learns only that it exists. They are reported when the same file also reads
// a path the analyser cannot resolve — the probe-then-read-in-a-loop shape of a credential sweep.
import { FS_MODULES, PROCESS_LIBRARIES, fsCall, processCall } from '../api.js';
import type { Literal, TemplateElement } from 'acorn';
import { callArgs, type AstNode } from '../ast.js';
import type { CallInfo, Detector } from '../context.js';
import type { Scope } from '../scope.js';
import { METADATA_HOSTS, PathEvaluator, U, credentialFile, credentialPathsInText } from '../flow/paths.js';
import { secretCommands } from '../package/install-commands.js';
import { commandText } from '../flow/shell.js';

interface PendingRead {
  node: AstNode;
  scope: Scope;
  how: string;
}

const detector: Detector = {
  meta: {
    rules: ['credential-file'],
    // reading needs an fs module (or Bun/Deno, or a shell command through child_process); the
    // metadata service is named in a string
    triggers: ['Bun', 'Deno', '169.254.16', '169.254.170.2', 'metadata.google', '100.100.100.200', 'fd00:ec2'],
    modules: [...FS_MODULES, 'child_process', ...PROCESS_LIBRARIES],
  },
  create(ctx) {
    const calls = ctx.calls;
    const paths = new PathEvaluator(ctx, calls);
    const reads: PendingRead[] = [];
    const probes: PendingRead[] = [];

    const shell = (e: CallInfo, scope: Scope): void => {
      const pc = processCall(e.callee);
      if (!pc) return;
      const text = commandText(ctx, calls, e.node, scope, pc);
      const found = credentialPathsInText(text);
      for (const m of found) {
        ctx.report(e.node, 'shell', { path: m.path, what: m.what, how: pc.name }, { message: `a shell command run by ${pc.name} reads ${m.path} (${m.what})` });
      }
      // commands that print or mint a credential (gh auth token, aws sts …, trufflehog)
      for (const cmd of secretCommands(text)) {
        if (found.some((m) => m.path === cmd)) continue;
        ctx.report(e.node, 'shell', { path: cmd, what: 'a credential printed by a command', how: pc.name }, { message: `runs \`${cmd}\`, which prints a credential` });
      }
    };
    const metadata = (node: AstNode, text: string): void => {
      const m = METADATA_HOSTS.exec(text);
      if (m && metadataSeen++ < 3) {
        ctx.report(node, 'metadata', { path: `cloud metadata service (${m[0]})`, what: 'the machine\'s cloud credentials' }, { message: `names the cloud metadata service ${m[0]}, whose answers hold the machine's credentials` });
      }
    };
    let metadataSeen = 0;

    return {
      Literal(node: Literal) {
        if (typeof node.value === 'string' && node.value.length < 4096) metadata(node, node.value);
      },
      TemplateElement(node: TemplateElement) {
        metadata(node, node.value.cooked ?? '');
      },
      call(e) {
        const scope = ctx.scope();
        const f = fsCall(e.callee);
        if (f && callArgs(e.node).length > 0) (f.kind === 'read' ? reads : probes).push({ node: e.node, scope, how: f.how });
        else shell(e, scope);
      },
      'Program:exit'() {
        let unresolvedRead = false;
        const check = (r: PendingRead, probe: boolean): void => {
          const values = paths.values(callArgs(r.node)[0], r.scope);
          for (const p of values) {
            if (p.startsWith(U)) unresolvedRead ||= !probe;
            const m = credentialFile(p);
            if (!m) continue;
            ctx.report(r.node, probe ? 'probe' : 'read', { path: m.path, what: m.what, how: r.how }, {
              message: probe
                ? `checks for ${m.path} (${m.what}) with ${r.how} and reads a path built at run time`
                : `reads ${m.path} (${m.what}) with ${r.how}`,
            });
          }
        };
        for (const r of reads) check(r, false);
        if (unresolvedRead) for (const p of probes) check(p, true);
      },
    };
  },
};
export default detector;
