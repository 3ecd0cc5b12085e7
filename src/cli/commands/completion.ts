// `sentry-rbac completion bash|zsh|fish`: a completion script built from the command tree itself, so every
// command and flag (including ones added later) completes without a hand-kept list.
import { Argument, type Command } from "commander";
import type { CliIo } from "../io.js";

/** One command of the tree: its path from the root, subcommand names and long flags. */
interface Node {
  path: string;
  subcommands: Array<{ name: string; description: string }>;
  flags: string[];
}

function walk(command: Command, path: string[] = [], out: Node[] = []): Node[] {
  const flags = command.options.map((option) => option.long).filter((flag): flag is string => flag !== undefined);
  out.push({
    path: path.join(" "),
    subcommands: command.commands.map((sub) => ({ name: sub.name(), description: sub.description().split("\n")[0] ?? "" })),
    flags: [...flags, "--help"],
  });
  for (const sub of command.commands) walk(sub, [...path, sub.name()], out);
  return out;
}

const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

function bash(root: Command): string {
  const nodes = walk(root);
  const globalFlags = nodes[0]?.flags ?? [];
  const cases = nodes
    .map((n) => `    ${quote(n.path)}) subs=${quote(n.subcommands.map((s) => s.name).join(" "))}; flags=${quote(n.flags.join(" "))} ;;`)
    .join("\n");
  return `# sentry-rbac completion for bash. Load it with: source <(sentry-rbac completion bash)
_sentry_rbac_node() {
  case "$1" in
${cases}
    *) subs=""; flags="" ;;
  esac
}
_sentry_rbac() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" word i subs flags
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    [[ "$word" == -* ]] && continue
    _sentry_rbac_node "$path"
    case " $subs " in *" $word "*) path="\${path:+$path }$word" ;; esac
  done
  _sentry_rbac_node "$path"
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$flags ${globalFlags.join(" ")}" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
  fi
}
complete -o default -F _sentry_rbac sentry-rbac
`;
}

function zsh(root: Command): string {
  // zsh runs bash completion functions through bashcompinit, which ships with zsh.
  return `#compdef sentry-rbac
# sentry-rbac completion for zsh. Load it with: source <(sentry-rbac completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash(root).split("\n").slice(1).join("\n")}`;
}

function fish(root: Command): string {
  const nodes = walk(root);
  const lines = ["# sentry-rbac completion for fish. Load it with: sentry-rbac completion fish | source", "complete -c sentry-rbac -f"];
  for (const node of nodes) {
    const parts = node.path === "" ? [] : node.path.split(" ");
    const names = node.subcommands.map((s) => s.name);
    const deeper = names.length > 0 ? `; and not __fish_seen_subcommand_from ${names.join(" ")}` : "";
    const condition = parts.length === 0 ? "__fish_use_subcommand" : `${parts.map((p) => `__fish_seen_subcommand_from ${p}`).join("; and ")}${deeper}`;
    for (const sub of node.subcommands) lines.push(`complete -c sentry-rbac -n ${quote(condition)} -a ${quote(sub.name)} -d ${quote(sub.description)}`);
    const flagCondition = parts.length === 0 ? "" : ` -n ${quote(parts.map((p) => `__fish_seen_subcommand_from ${p}`).join("; and "))}`;
    for (const flag of node.flags) lines.push(`complete -c sentry-rbac${flagCondition} -l ${flag.replace(/^--/, "")}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The completion script for a shell, for the given program.
 * @example process.stdout.write(completionScript(program, "bash"));
 */
export function completionScript(root: Command, shell: "bash" | "zsh" | "fish"): string {
  return shell === "bash" ? bash(root) : shell === "zsh" ? zsh(root) : fish(root);
}

/**
 * Registers `completion <shell>`; listed in COMMANDS.
 * @example registerCompletionCommand(program, io); // source <(sentry-rbac completion bash)
 */
export function registerCompletionCommand(program: Command, io: CliIo): void {
  program
    .command("completion")
    .description("print a shell completion script (bash, zsh or fish)")
    .addArgument(new Argument("<shell>", "the shell").choices(["bash", "zsh", "fish"]))
    .addHelpText(
      "after",
      "\nExamples:\n  $ source <(sentry-rbac completion bash)      # in ~/.bashrc\n  $ source <(sentry-rbac completion zsh)       # in ~/.zshrc\n  $ sentry-rbac completion fish > ~/.config/fish/completions/sentry-rbac.fish\n",
    )
    .action((shell: "bash" | "zsh" | "fish") => {
      io.stdout.write(completionScript(program, shell));
    });
}
