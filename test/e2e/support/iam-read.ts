/** Read-backs of the e2e endpoint that tests compare with what a command said it did. */
import { GetGroupCommand, type IAMClient } from '@aws-sdk/client-iam';

/** The group's members, sorted (every page). */
export async function groupMembers(iam: IAMClient, groupName: string): Promise<string[]> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new GetGroupCommand({ GroupName: groupName, ...(marker === undefined ? {} : { Marker: marker }) }));
    names.push(...(page.Users ?? []).flatMap((user) => (user.UserName === undefined ? [] : [user.UserName])));
    marker = page.IsTruncated === true ? page.Marker : undefined;
  } while (marker !== undefined);
  return names.sort();
}
