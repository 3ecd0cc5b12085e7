/**
 * What a 404 was about, in words: the path template's parameters matched against the real path, so the message
 * names the subject ("team 'nosuchteam' not found in acme") instead of the template and Sentry's generic
 * "The requested resource does not exist". Sentry answers 404 alike for a missing object and for one the token
 * cannot see (another organization's), so an organization-level miss says both.
 */

const GENERIC = /^(the requested resource does not exist\.?|not found\.?|HTTP 404)$/i;

// `organization_id_or_slug` → "organization", `member_id` → "member", `sentry_app_id_or_slug` → "sentry app".
function noun(param: string): string {
  return param.replace(/_id_or_slug$|_id$|_slug$/, "").replace(/_/g, " ");
}

/**
 * The template's parameters with the values the real path holds for them, in path order.
 * @example pathParams("/api/0/teams/{organization_id_or_slug}/{team_id_or_slug}/", "/api/0/teams/acme/ops/")
 * // [{ name: "organization_id_or_slug", value: "acme" }, { name: "team_id_or_slug", value: "ops" }]
 */
export function pathParams(template: string, pathname: string): Array<{ name: string; value: string }> {
  const want = template.split("/");
  const have = pathname.split("/");
  if (want.length !== have.length) return [];
  const params: Array<{ name: string; value: string }> = [];
  for (const [index, part] of want.entries()) {
    const name = /^\{([a-z_]+)\}$/.exec(part)?.[1];
    if (name !== undefined) params.push({ name, value: safeDecode(have[index] ?? "") });
    else if (part !== have[index]) return [];
  }
  return params;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The summary of a 404 (its message; `detail` stays Sentry's): the subject named, with Sentry's own detail kept when it says more than "does not exist".
 * @example notFoundDetail("/api/0/teams/{organization_id_or_slug}/{team_id_or_slug}/", "/api/0/teams/acme/nosuchteam/", "The requested resource does not exist")
 * // "team 'nosuchteam' not found in acme"
 */
export function notFoundDetail(template: string, pathname: string, detail: string): string {
  const params = pathParams(template, pathname);
  const org = params.find((p) => p.name === "organization_id_or_slug");
  const others = params.filter((p) => p !== org);
  const subject = others.at(-1);
  let phrase: string | undefined;
  if (subject === undefined && org !== undefined) {
    phrase = `organization '${org.value}' not found, or your token cannot see it`;
  } else if (subject !== undefined) {
    const parents = others
      .slice(0, -1)
      .map((p) => ` for ${noun(p.name)} '${p.value}'`)
      .join("");
    phrase = `${noun(subject.name)} '${subject.value}' not found${parents}${org ? ` in ${org.value}` : ""}`;
  }
  if (phrase === undefined) return detail;
  return GENERIC.test(detail.trim()) ? phrase : `${phrase}: ${detail}`;
}
