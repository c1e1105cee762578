// prepack guard of every @gated package: `npm pack` / `npm publish` would ship `workspace:*`
// dependencies that no registry can resolve. pnpm (and `changeset publish`, which runs pnpm
// here) rewrites them to real versions, so only pnpm may pack.
const agent = process.env.npm_config_user_agent ?? '';
if (!agent.startsWith('pnpm/')) {
  process.stderr.write(
    `${process.env.npm_package_name ?? 'this package'}: pack and publish with pnpm (\`pnpm pack\`, \`pnpm release\`), not ${agent.split(' ')[0] || 'this tool'}: it would ship workspace:* dependencies\n`,
  );
  process.exit(1);
}
