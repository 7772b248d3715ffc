/**
 * The AWS conventions every AWS tool shares: `--profile NAME` is an AWS named profile and `--region` the region.
 * They are handed to the SDK's own default chain (credentials, region and the profile's `endpoint_url`) through
 * AWS_PROFILE and AWS_REGION before any client exists, so every client of the command, created anywhere, uses them.
 */
import { Option, type Command } from 'commander';
import { inputError } from '../errors.js';

interface AwsFlags {
  profile?: string;
  region?: string;
}

const GUARD_NAMES: readonly string[] = ['seed', 'recommended'];

/** The guard used to be chosen with --profile: say so in one line rather than look up an AWS profile `seed`. */
function refuseGuardAsProfile(value: string): void {
  if (GUARD_NAMES.includes(value)) {
    throw inputError('profile-is-guard', `--profile names an AWS named profile now; choose the guard with --guard ${value}`);
  }
}

export function addAwsOptions(command: Command): Command {
  return command
    .option('--profile <name>', 'AWS named profile for credentials, region and endpoint_url (default: AWS_PROFILE, else as the AWS CLI chooses)')
    .option('--region <region>', 'AWS region (default: AWS_REGION, else the profile\'s region; IAM is global)')
    .hook('preAction', async (_command, action) => {
      const flags = action.opts<AwsFlags>();
      if (flags.profile !== undefined) {
        refuseGuardAsProfile(flags.profile);
        if (flags.profile.trim() === '') throw inputError('profile-empty', '--profile needs the name of an AWS profile');
        await assertProfileExists(flags.profile);
        process.env['AWS_PROFILE'] = flags.profile;
      }
      if (flags.region !== undefined) {
        if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(flags.region)) {
          throw inputError('region-invalid', `--region '${flags.region}' is not an AWS region name such as us-east-1`);
        }
        process.env['AWS_REGION'] = flags.region;
      }
    });
}

/** A profile the user names that neither shared file holds is their mistake (exit 2), not missing credentials (3). */
async function assertProfileExists(profile: string): Promise<void> {
  const [{ homedir }, { readSharedFiles }, { listProfiles }] = await Promise.all([
    import('node:os'),
    import('../session/store.js'),
    import('../session/profiles.js'),
  ]);
  const files = readSharedFiles(process.env, homedir());
  const found = listProfiles(files);
  if (found.includes(profile)) return;
  throw inputError(
    'profile-unknown',
    `--profile ${profile}: no such profile in ${files.credentialsPath} or ${files.configPath}; ${found.length > 0 ? `profiles found: ${found.join(', ')}` : 'no profiles found'}`,
  );
}

/** Commands that call no AWS still catch the old `--profile seed|recommended`, with one line naming --guard. */
export function addOfflineProfileRefusal(command: Command): Command {
  return command
    .addOption(new Option('--profile <name>').hideHelp())
    .hook('preAction', (_command, action) => {
      const profile = action.opts<AwsFlags>().profile;
      if (profile === undefined) return;
      refuseGuardAsProfile(profile);
      throw inputError('profile-offline', `${action.name()} calls no AWS, so --profile has no effect; to choose the guard, use --guard seed|recommended`);
    });
}
