/**
 * sentry-cli's configuration, read as sentry-cli reads it: `~/.sentryclirc`, then the nearest `.sentryclirc` from
 * the working directory up (an INI file: `[auth] token`, `[defaults] org` and `url`), then the `.properties` file
 * named by SENTRY_PROPERTIES (`auth.token`, `defaults.org`, `defaults.url`); later files win. sentry-rbac adds
 * `[profile NAME]` sections (`token`, `org`, `url`, `scim_token`), chosen with `--profile NAME`, for several
 * organizations or instances. All of it ranks below flags and the environment.
 */
import { dirname, join } from "node:path";

/** The settings a config layer can give. */
export interface FileSettings {
  token?: string | undefined;
  scimToken?: string | undefined;
  org?: string | undefined;
  url?: string | undefined;
}

/** Everything read from the config files. */
export interface CliConfig {
  /** `[auth]` and `[defaults]` merged over every file, later files winning. */
  defaults: FileSettings;
  /** `[profile NAME]` sections by name. */
  profiles: Readonly<Record<string, FileSettings>>;
  /** The files that were read, in order (for messages). */
  files: readonly string[];
  /** Every token value in any file or profile, masked in all output whatever is in use. */
  secrets: readonly string[];
}

/** How the CLI reaches files for its config; absent members mean no config files (tests). */
export interface ConfigSource {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string | undefined;
  readonly homeDir?: string | undefined;
  /** The text of a file, or undefined when it does not exist. */
  readTextFileSync?(this: void, path: string): string | undefined;
}

/**
 * Parses INI text into sections of lowercase keys; `;` and `#` start comment lines.
 * @example parseIni("[auth]\ntoken = abc").auth?.token // "abc"
 */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> = (sections[""] = {});
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith(";") || line.startsWith("#")) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      const name = (header[1] ?? "").trim().replace(/\s+/g, " ");
      current = sections[name] ??= {};
      continue;
    }
    const at = line.search(/[=:]/);
    if (at <= 0) continue;
    current[line.slice(0, at).trim().toLowerCase()] = unquote(line.slice(at + 1).trim());
  }
  return sections;
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) && value.length >= 2 ? value.slice(1, -1) : value;
}

function settingsOf(auth: Record<string, string> | undefined, defaults: Record<string, string> | undefined): FileSettings {
  return { token: auth?.token, org: defaults?.org, url: defaults?.url };
}

function merge(base: FileSettings, over: FileSettings): FileSettings {
  const out: FileSettings = { ...base };
  for (const key of ["token", "scimToken", "org", "url"] as const) {
    const value = over[key];
    if (value !== undefined && value.trim() !== "") out[key] = value.trim();
  }
  return out;
}

/** The nearest `.sentryclirc` from `cwd` up to the root, skipping the home one (read first anyway). */
function projectRc(source: ConfigSource, home: string | undefined): string | undefined {
  if (source.cwd === undefined || source.readTextFileSync === undefined) return undefined;
  for (let dir = source.cwd; ; dir = dirname(dir)) {
    const candidate = join(dir, ".sentryclirc");
    if (candidate !== home && source.readTextFileSync(candidate) !== undefined) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Reads every config file the environment points at.
 * @example const config = loadCliConfig({ env: process.env, cwd: process.cwd(), homeDir: os.homedir(), readTextFileSync });
 */
export function loadCliConfig(source: ConfigSource): CliConfig {
  const read = source.readTextFileSync;
  if (read === undefined) return { defaults: {}, profiles: {}, files: [], secrets: [] };
  const home = source.homeDir === undefined ? undefined : join(source.homeDir, ".sentryclirc");
  let defaults: FileSettings = {};
  const profiles: Record<string, FileSettings> = {};
  const files: string[] = [];
  for (const path of [home, projectRc(source, home)]) {
    const text = path === undefined ? undefined : read(path);
    if (path === undefined || text === undefined) continue;
    files.push(path);
    const ini = parseIni(text);
    defaults = merge(defaults, settingsOf(ini.auth, ini.defaults));
    for (const [section, values] of Object.entries(ini)) {
      const name = /^profile (\S+)$/.exec(section)?.[1];
      if (name !== undefined)
        profiles[name] = merge(profiles[name] ?? {}, { token: values.token, scimToken: values.scim_token, org: values.org, url: values.url });
    }
  }
  const propertiesPath = source.env.SENTRY_PROPERTIES;
  const properties = propertiesPath ? read(propertiesPath) : undefined;
  if (propertiesPath && properties !== undefined) {
    files.push(propertiesPath);
    const flat = parseIni(properties)[""] ?? {};
    defaults = merge(defaults, { token: flat["auth.token"], org: flat["defaults.org"], url: flat["defaults.url"] });
  }
  const secrets = [defaults.token, ...Object.values(profiles).flatMap((p) => [p.token, p.scimToken])].filter(
    (value): value is string => value !== undefined && value !== "",
  );
  return { defaults, profiles, files, secrets };
}
