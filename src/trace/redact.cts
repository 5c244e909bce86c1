// A program name or file path the recorder keeps comes from the program's own arguments, so it could
// carry a secret (`exec(process.env.DEPLOY_KEY)`). Anything that contains the value of a
// secret-looking variable is replaced before it is stored.
const SECRET_NAME = /TOKEN|SECRET|PASS|KEY|AUTH|CREDENTIAL|PRIVATE|SESSION|COOKIE|SIGNATURE/i;
const MIN_VALUE = 6;

export function redactor(env: NodeJS.ProcessEnv): (s: string) => string {
  const values: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= MIN_VALUE && SECRET_NAME.test(name)) values.push(value);
  }
  return (s) => (values.some((v) => s.includes(v)) ? '[redacted]' : s);
}
