// Credential ownership: which service a credential belongs to, as data. A credential sent in an
// authentication position to a host of its own service (or to a base URL from the same vendor's
// settings) is what an API key is for; the same credential anywhere else is theft. Decided by the
// env name's prefix and the destination's host, never by the package's name.
//
// Fixture trees use reserved names only (RFC 2606 `.example`), so `api.openai.example` stands for a
// host under `openai.com`: a `.example` name can never be registered, so the alias excuses nothing real.

export interface Vendor {
  /** for reasons: "OpenAI". */
  label: string;
  /** env name prefixes (or whole names), compared case-insensitively. */
  env: readonly string[];
  /** registrable domains of the service: a host equal to one or under it is the vendor's. */
  domains: readonly string[];
}

export const VENDORS: readonly Vendor[] = [
  { label: 'OpenAI', env: ['OPENAI_'], domains: ['openai.com', 'openai.azure.com'] },
  { label: 'Azure OpenAI', env: ['AZURE_OPENAI_'], domains: ['openai.azure.com', 'cognitiveservices.azure.com'] },
  { label: 'Anthropic', env: ['ANTHROPIC_', 'CLAUDE_'], domains: ['anthropic.com'] },
  { label: 'GitHub', env: ['GITHUB_', 'GH_', 'ACTIONS_', 'COPILOT_'], domains: ['github.com', 'githubusercontent.com', 'ghcr.io', 'githubcopilot.com'] },
  { label: 'GitLab', env: ['GITLAB_', 'CI_JOB_TOKEN'], domains: ['gitlab.com'] },
  { label: 'npm', env: ['NPM_', 'npm_config_', 'NODE_AUTH_TOKEN'], domains: ['npmjs.org', 'npmjs.com'] },
  { label: 'AWS', env: ['AWS_', 'AMAZON_'], domains: ['amazonaws.com', 'amazonaws.com.cn', 'aws.amazon.com', 'api.aws'] },
  { label: 'Google', env: ['GOOGLE_', 'GCLOUD_', 'GCP_', 'GCE_', 'GEMINI_', 'FIREBASE_'], domains: ['googleapis.com', 'google.com', 'firebaseio.com', 'firebaseapp.com', 'cloudfunctions.net'] },
  { label: 'Azure', env: ['AZURE_', 'MSI_', 'IDENTITY_'], domains: ['azure.com', 'azure.net', 'windows.net', 'microsoftonline.com', 'microsoft.com'] },
  { label: 'Vercel', env: ['VERCEL_', 'BLOB_READ_WRITE_TOKEN', 'NOW_'], domains: ['vercel.com', 'vercel.app', 'vercel-storage.com'] },
  { label: 'Sentry', env: ['SENTRY_'], domains: ['sentry.io'] },
  { label: 'Stripe', env: ['STRIPE_'], domains: ['stripe.com'] },
  { label: 'Slack', env: ['SLACK_'], domains: ['slack.com'] },
  { label: 'Datadog', env: ['DD_', 'DATADOG_'], domains: ['datadoghq.com', 'datadoghq.eu', 'ddog-gov.com'] },
  { label: 'Twilio', env: ['TWILIO_'], domains: ['twilio.com'] },
  { label: 'SendGrid', env: ['SENDGRID_'], domains: ['sendgrid.com', 'sendgrid.net'] },
  { label: 'Mailgun', env: ['MAILGUN_'], domains: ['mailgun.net', 'mailgun.org'] },
  { label: 'Ethereal', env: ['ETHEREAL_'], domains: ['ethereal.email', 'nodemailer.com'] },
  { label: 'Cloudflare', env: ['CLOUDFLARE_', 'CF_'], domains: ['cloudflare.com'] },
  { label: 'Netlify', env: ['NETLIFY_'], domains: ['netlify.com', 'netlify.app'] },
  { label: 'Heroku', env: ['HEROKU_'], domains: ['heroku.com'] },
  { label: 'Supabase', env: ['SUPABASE_'], domains: ['supabase.co', 'supabase.com'] },
  { label: 'Algolia', env: ['ALGOLIA_'], domains: ['algolia.net', 'algolianet.com', 'algolia.io'] },
  { label: 'Hugging Face', env: ['HF_', 'HUGGINGFACE_'], domains: ['huggingface.co'] },
  { label: 'OpenRouter', env: ['OPENROUTER_'], domains: ['openrouter.ai'] },
  { label: 'Mistral', env: ['MISTRAL_'], domains: ['mistral.ai'] },
  { label: 'Cohere', env: ['COHERE_', 'CO_API_KEY'], domains: ['cohere.ai', 'cohere.com'] },
  { label: 'Groq', env: ['GROQ_'], domains: ['groq.com'] },
  { label: 'Linear', env: ['LINEAR_'], domains: ['linear.app'] },
  { label: 'Discord', env: ['DISCORD_'], domains: ['discord.com', 'discordapp.com'] },
  { label: 'Telegram', env: ['TELEGRAM_'], domains: ['telegram.org'] },
  { label: 'New Relic', env: ['NEW_RELIC_', 'NEWRELIC_'], domains: ['newrelic.com', 'nr-data.net'] },
  { label: 'Bugsnag', env: ['BUGSNAG_'], domains: ['bugsnag.com'] },
  { label: 'Auth0', env: ['AUTH0_'], domains: ['auth0.com'] },
  { label: 'Clerk', env: ['CLERK_'], domains: ['clerk.com', 'clerk.dev'] },
  { label: 'Docker Hub', env: ['DOCKER_'], domains: ['docker.io', 'docker.com'] },
  { label: 'CircleCI', env: ['CIRCLE_', 'CIRCLECI_'], domains: ['circleci.com'] },
  { label: 'Snyk', env: ['SNYK_'], domains: ['snyk.io'] },
  { label: 'Codecov', env: ['CODECOV_'], domains: ['codecov.io'] },
];

/** The vendor a credential's env name belongs to (the longest matching prefix), or null. */
export function vendorOfEnv(name: string): Vendor | null {
  const upper = name.toUpperCase();
  let best: { v: Vendor; len: number } | null = null;
  for (const v of VENDORS) {
    for (const p of v.env) {
      const P = p.toUpperCase();
      const hit = P.endsWith('_') ? upper.startsWith(P) : upper === P;
      if (hit && (!best || P.length > best.len)) best = { v, len: P.length };
    }
  }
  return best?.v ?? null;
}

/** `openai.com` → `openai.example`: the reserved stand-in fixtures use for the same service. */
function reservedAlias(domain: string): string {
  const labels = domain.split('.');
  return `${labels[0]}.example`;
}

/** Is `host` one of the vendor's (the domain itself or a name under it)? */
export function vendorOwnsHost(v: Vendor, host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return v.domains.some((d) => {
    for (const dom of [d, reservedAlias(d)]) if (h === dom || h.endsWith(`.${dom}`)) return true;
    return false;
  });
}

/** The env-name family: `VAULT_ADDR` and `VAULT_TOKEN` share `VAULT`. */
function family(name: string): string {
  return name.split('_')[0].toUpperCase();
}

export type Ownership =
  | { kind: 'own'; service: string; where: string }
  | { kind: 'foreign'; where: string }
  | { kind: 'unknown' };

/**
 * Whose destination a credential `name` is sent to, given the sink's constant hosts and the env
 * names forming its destination. Own: every constant host is the credential's vendor's, and every
 * destination setting is the vendor's or shares the credential's family (VAULT_TOKEN → VAULT_ADDR).
 * Foreign: a constant host belongs to someone else. Unknown: the destination is set at runtime by
 * something that is not the vendor's own setting (an option the caller passes).
 */
export function ownershipOf(name: string, hosts: readonly string[], destinationEnv: readonly string[]): Ownership {
  const v = vendorOfEnv(name);
  const foreign = hosts.filter((h) => !v || !vendorOwnsHost(v, h));
  if (foreign.length) return { kind: 'foreign', where: foreign[0] };
  const ownEnv = (e: string): boolean => (v !== null && vendorOfEnv(e) === v) || (family(e).length >= 2 && family(e) === family(name));
  // the credential itself is never its own destination setting
  const dests = destinationEnv.filter((e) => e !== name);
  const settings = dests.filter(ownEnv);
  if (hosts.length && v) return { kind: 'own', service: v.label, where: hosts[0] };
  if (settings.length && settings.length === dests.length) return { kind: 'own', service: v?.label ?? family(name), where: `the ${settings[0]} setting` };
  return { kind: 'unknown' };
}
