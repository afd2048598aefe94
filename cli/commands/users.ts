// `dag users create|list|delete|reset-password`: the web server's users (Airflow's `airflow users ...`), through the
// engine's user service so the CLI and the API apply the same rules.
import type { Command } from 'commander';
import { UserError } from '../../engine/types.js';

interface PasswordOpts {
  password?: string;
  passwordStdin?: boolean;
}

async function readPassword(o: PasswordOpts): Promise<string> {
  if (o.password != null && o.passwordStdin) throw new UserError('pass either --password or --password-stdin, not both');
  if (o.password != null) return o.password;
  if (!o.passwordStdin) throw new UserError('no password given: pass --password P, or --password-stdin and the password on standard input');
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.replace(/\r?\n$/, '');
}

export function register(program: Command): void {
  const users = program.command('users').description("manage the web server's users (roles: viewer < user < op < admin)");

  users
    .command('create')
    .description('create a user')
    .requiredOption('-u, --username <name>', 'letters, digits, . _ - (at most 64)')
    .requiredOption('-r, --role <role>', 'viewer, user, op or admin')
    .option('-p, --password <password>', 'the password (visible in the process list: prefer --password-stdin)')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (o: PasswordOpts & { username: string; role: string }) => {
      const [{ openStore }, svc] = await Promise.all([import('../context.js'), import('../../engine/service/users.js')]);
      const role = svc.parseRole(o.role);
      const problem = svc.usernameProblem(o.username);
      if (problem) throw new UserError(problem);
      const password = await readPassword(o);
      const { store } = await openStore();
      try {
        await svc.createUser(store, { username: o.username, role, password });
      } finally {
        store.close();
      }
      process.stdout.write(`user '${o.username}' created with role ${role}\n`);
    });

  users
    .command('list')
    .description('list users')
    .option('-o, --output <format>', 'table, json, yaml or plain', 'table')
    .action(async (o: { output: string }) => {
      const [{ openStore }, { printRows, outputFormat }] = await Promise.all([import('../context.js'), import('../output.js')]);
      const format = outputFormat(o.output);
      const { store } = await openStore();
      const rows = store.users.list().map((u) => ({ username: u.username, role: u.role, created_at: u.created_at }));
      store.close();
      await printRows(rows, format);
    });

  users
    .command('delete <username>')
    .description('delete a user (not the last admin)')
    .action(async (username: string) => {
      const [{ openStore }, { deleteUser }] = await Promise.all([import('../context.js'), import('../../engine/service/users.js')]);
      const { store } = await openStore();
      try {
        deleteUser(store, username);
      } finally {
        store.close();
      }
      process.stdout.write(`user '${username}' deleted\n`);
    });

  users
    .command('reset-password <username>')
    .description("set a user's password")
    .option('-p, --password <password>', 'the new password (visible in the process list: prefer --password-stdin)')
    .option('--password-stdin', 'read the new password from standard input')
    .action(async (username: string, o: PasswordOpts) => {
      const [{ openStore }, { resetPassword }] = await Promise.all([import('../context.js'), import('../../engine/service/users.js')]);
      const password = await readPassword(o);
      const { store } = await openStore();
      try {
        await resetPassword(store, username, password);
      } finally {
        store.close();
      }
      process.stdout.write(`password of '${username}' changed\n`);
    });
}
