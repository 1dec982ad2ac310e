/** The workspace, its owner and its team: read-only through the public API. */
import { describe, expect } from "vitest";
import { openTarget } from "../support/target.ts";
import { contractTest, need } from "../support/tests.ts";

const target = await openTarget("workspace-team");
const test = contractTest(target);
const { client } = target;

describe("getWorkspace and getWorkspaceOwner", () => {
  test("is described, and names its owner, who reads as the workspace's owner", [], async () => {
    const workspace = await client.GET("/workspace");
    const owner = await client.GET("/workspace/me");
    expect(workspace.response.status).toBe(200);
    expect(owner.response.status).toBe(200);
    expect(workspace.data?.owner).toBe(owner.data?.guid);
  });
});

describe("listTeamMembers and getTeamMember", () => {
  test("lists members that each read the same by id", [], async (ctx) => {
    const { data } = await client.GET("/team", { params: { query: { limit: 100 } } });
    need(ctx, data?.data.length ? true : undefined, "the team is empty");
    for (const member of data?.data ?? []) {
      const one = await client.GET("/team/{memberId}", { params: { path: { memberId: member.guid } } });
      expect(one.data).toEqual(member);
    }
  });

  test("includes the workspace's owner", [], async () => {
    const { data: owner } = await client.GET("/workspace/me");
    const { data } = await client.GET("/team/{memberId}", { params: { path: { memberId: owner?.guid as string } } });
    expect(data?.role).toBe("owner");
  });

  test("answers 404 for an id no member has", [], async () => {
    const { response, error } = await client.GET("/team/{memberId}", {
      params: { path: { memberId: "00000000-0000-4000-8000-000000000000" } },
    });
    expect(response.status).toBe(404);
    expect(error?.code).toBe("not_found");
  });

  test("answers 400 for an id that is not a GUID", ["invalid"], async () => {
    expect((await target.request({ method: "GET", path: "/team/42" })).status).toBe(400);
  });
});
