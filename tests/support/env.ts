// process.env put back as a test file found it, in place: files share their worker process (vitest.config.js), so
// what one sets for the code under test must not reach the next. In place, because assigning process.env replaces
// Node's object (which turns every value into a string) with a plain one for the rest of the process.
export function saveEnv(): () => void {
  const saved = { ...process.env };
  return () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  };
}
