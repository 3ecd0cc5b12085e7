import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { runWith } from "../helpers.js";

function complete(script: string, words: string[]): string[] {
  const array = words.map((w) => `'${w}'`).join(" ");
  const out = execFileSync(
    "bash",
    ["-c", `${script}\nCOMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; _sentry_rbac; printf '%s\\n' "\${COMPREPLY[@]}"`],
    { encoding: "utf8" },
  );
  return out.split("\n").filter((line) => line !== "");
}

describe("completion", () => {
  it("bash completes commands, nested subcommands and their flags from the real command tree", async () => {
    const run = await runWith(["completion", "bash"]);
    expect(run.code).toBe(0);
    expect(complete(run.stdout, ["sentry-rbac", "who"])).toEqual(["whoami"]);
    expect(complete(run.stdout, ["sentry-rbac", "members", "re"])).toEqual(["remove", "remove-from-team"]);
    expect(complete(run.stdout, ["sentry-rbac", "--json", "scim", "users", "de"])).toEqual(["deactivate", "delete"]);
    expect(complete(run.stdout, ["sentry-rbac", "projects", "remove-team", "--if"])).toEqual(["--if-present"]);
    expect(complete(run.stdout, ["sentry-rbac", "teams", "list", "--pro"])).toEqual(["--profile"]);
  });

  it("zsh loads the same functions through bashcompinit; fish gets complete lines per level", async () => {
    const zsh = await runWith(["completion", "zsh"]);
    expect(zsh.stdout).toMatch(/^#compdef sentry-rbac\n/);
    expect(zsh.stdout).toContain("bashcompinit");
    expect(zsh.stdout).toContain("complete -o default -F _sentry_rbac sentry-rbac");
    const fish = await runWith(["completion", "fish"]);
    expect(fish.stdout).toContain("complete -c sentry-rbac -n '__fish_use_subcommand' -a 'members'");
    expect(fish.stdout).toMatch(
      /complete -c sentry-rbac -n '__fish_seen_subcommand_from scim; and __fish_seen_subcommand_from users; and not __fish_seen_subcommand_from [a-z ]+' -a 'deactivate'/,
    );
    expect((await runWith(["completion", "tcsh"])).code).toBe(2);
  });
});
