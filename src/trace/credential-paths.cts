// Which file paths are credential files, for the run-time recorder. The same table as the static
// credential-file rule (src/analyze/flow/paths.ts); a test checks that both agree on sample paths.
import * as path from 'node:path';

const CREDENTIAL_FILES: RegExp[] = [
  /(^|\/)\.npmrc$/i,
  /(^|\/)\.yarnrc(\.yml)?$/i,
  /(^|\/)\.env(\.(?!(?:example|sample|template|tpl|dist|defaults?|schema)$)[\w.*-]+)?$/i,
  /(^|\/)\.envrc$/i,
  /(^|\/)\.aws\/(credentials|config)$/i,
  /(^|\/)\.ssh(\/.*)?$/i,
  /(^|\/)\.git-credentials$/i,
  /(^|\/)[._]netrc$/i,
  /(^|\/)\.docker\/config\.json$/i,
  /(^|\/)\.kube\/config$/i,
  /(^|\/)(?:\.config|AppData\/Roaming)\/gcloud(\/.*)?$/i,
  /(^|\/)\.azure(\/.*)?$/i,
  /(^|\/)\.pypirc$/i,
  /(^|\/)\.config\/gh\/hosts\.yml$/i,
  /(^|\/)\.cargo\/credentials(\.toml)?$/i,
  /(^|\/)\.vault-token$/i,
  /(^|\/)\.pgpass$/i,
  /(^|\/)\.terraform\.d\/credentials\.tfrc\.json$/i,
  /(^|\/)\.gnupg(\/.*)?$/i,
  /^\/proc\/(?:self|thread-self|\d+)\/environ$/,
];

/**
 * The path to show when `abs` is a credential file, else null: `~/…` under the home folder,
 * relative under the trace root, absolute elsewhere.
 */
export function credentialPath(abs: string, home: string, root: string): string | null {
  const posix = abs.split(path.sep).join('/');
  if (!CREDENTIAL_FILES.some((re) => re.test(posix))) return null;
  const inRoot = path.relative(root, abs);
  if (!inRoot.startsWith('..') && !path.isAbsolute(inRoot)) return inRoot.split(path.sep).join('/') || '.';
  const inHome = home ? path.relative(home, abs) : '..';
  if (!inHome.startsWith('..') && !path.isAbsolute(inHome)) return `~/${inHome.split(path.sep).join('/')}`;
  return posix;
}
