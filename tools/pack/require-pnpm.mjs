// prepack guard of every @gated package: `npm pack` / `npm publish` would ship `workspace:*`
// dependencies that no registry can resolve. pnpm (and `changeset publish`, which runs pnpm
// here) rewrites them to real versions, so only pnpm may pack.
const agent = process.env.npm_config_user_agent ?? '';
// npm_config_user_agent alone can be inherited (npm run from inside a pnpm script reads it as its
// own config): the tool that runs this script is the one npm_execpath names.
const execpath = process.env.npm_execpath ?? '';
if (!agent.startsWith('pnpm/') || (execpath !== '' && !/pnpm/i.test(execpath))) {
  process.stderr.write(
    `${process.env.npm_package_name ?? 'this package'}: pack and publish with pnpm (\`pnpm pack\`, \`pnpm release\`), not ${agent.split(' ')[0] || 'this tool'}: it would ship workspace:* dependencies\n`,
  );
  process.exit(1);
}
