import { describe, expect, it } from "vitest";
import { bufferedResponse } from "../../../src/http/send/buffered-response.js";

const bytes = new TextEncoder().encode('[{"slug":"payments"}]');
const init = { status: 201, statusText: "Created", headers: new Headers({ "content-type": "application/json", "x-a": "1" }) };

describe("bufferedResponse", () => {
  it("is a Response with the given status and headers, whose body reads as JSON, text, bytes or a stream", async () => {
    const response = bufferedResponse(bytes, init);
    expect(response).toBeInstanceOf(Response);
    expect(response).toMatchObject({ status: 201, statusText: "Created", ok: true });
    expect(response.headers.get("x-a")).toBe("1");
    expect(await bufferedResponse(bytes, init).json()).toEqual([{ slug: "payments" }]);
    expect(await bufferedResponse(bytes, init).text()).toBe('[{"slug":"payments"}]');
    expect(new Uint8Array(await bufferedResponse(bytes, init).arrayBuffer())).toEqual(bytes);
    expect(await (await bufferedResponse(bytes, init).blob()).text()).toBe('[{"slug":"payments"}]');
    expect(await new Response(bufferedResponse(bytes, init).body).text()).toBe('[{"slug":"payments"}]');
  });

  it("returns the already parsed value from json() once, and a clone parses its own copy", async () => {
    const parsed = { value: [{ slug: "parsed" }] };
    const response = bufferedResponse(bytes, init, parsed);
    const copy = response.clone();
    expect(await response.json()).toBe(parsed.value);
    const cloned = (await copy.json()) as unknown[];
    expect(cloned).toEqual([{ slug: "payments" }]);
    expect(cloned).not.toBe(parsed.value);
  });

  it("can be read only once, like any Response", async () => {
    const response = bufferedResponse(bytes, init);
    expect(response.bodyUsed).toBe(false);
    await response.text();
    expect(response.bodyUsed).toBe(true);
    await expect(response.json()).rejects.toThrow(TypeError);
    expect(() => response.clone()).toThrow(TypeError);
    const streamed = bufferedResponse(bytes, init);
    const reader = streamed.body!.getReader();
    expect(streamed.bodyUsed).toBe(true);
    await expect(streamed.text()).rejects.toThrow(TypeError);
    reader.releaseLock();
  });
});
