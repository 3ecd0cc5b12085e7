import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { addDestructiveOptions, confirmDestructive } from "../../src/cli/confirm.js";
import { CliError, UsageError } from "../../src/cli/errors.js";
import { createFakeIo } from "./helpers.js";

describe("confirmDestructive", () => {
  it("goes ahead without asking when --yes is given", async () => {
    const io = createFakeIo({ stdinTTY: false });
    await expect(confirmDestructive(io, { message: "Remove 3 members?", yes: true })).resolves.toBeUndefined();
    expect(io.prompts).toEqual([]);
  });

  it("never asks on a dry run", async () => {
    const io = createFakeIo({ stdinTTY: true });
    await confirmDestructive(io, { message: "Remove 3 members?", dryRun: true });
    expect(io.prompts).toEqual([]);
  });

  it("refuses with a usage error when stdin is not a terminal and --yes is missing", async () => {
    const io = createFakeIo({ stdinTTY: false });
    const attempt = confirmDestructive(io, { message: "Remove 3 members?" });
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(attempt).rejects.toMatchObject({ exitCode: 2, hint: expect.stringContaining("--yes") });
    expect(io.prompts).toEqual([]);
  });

  it("asks on a terminal and goes ahead on y or yes", async () => {
    for (const answer of ["y", " YES "]) {
      const io = createFakeIo({ stdinTTY: true, answers: [answer] });
      await confirmDestructive(io, { message: "Remove 3 members?" });
      expect(io.prompts).toEqual(["Remove 3 members? [y/N] "]);
    }
  });

  it("aborts with exit 1 on anything else, the default being no", async () => {
    for (const answer of ["", "n", "yep"]) {
      const io = createFakeIo({ stdinTTY: true, answers: [answer] });
      const attempt = confirmDestructive(io, { message: "Remove?" });
      await expect(attempt).rejects.toBeInstanceOf(CliError);
      await expect(attempt).rejects.toMatchObject({ exitCode: 1, message: "aborted: nothing was changed" });
    }
  });
});

describe("addDestructiveOptions", () => {
  it("adds --dry-run and -y/--yes", () => {
    const command = addDestructiveOptions(new Command("remove").exitOverride());
    command.parse(["--dry-run", "-y"], { from: "user" });
    expect(command.opts()).toEqual({ dryRun: true, yes: true });
  });
});
