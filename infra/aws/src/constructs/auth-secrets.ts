import { RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { asInterface } from '../compat';
import type { EnvironmentConfig } from '../config';
import { acknowledge } from '../nag';
import { APP } from '../naming';

/** Secrets Manager names of auth's secrets in an environment. */
export function authSecretNames(env: EnvironmentConfig): { signingKey: string; users: string } {
  return {
    signingKey: `${APP}/${env.name}/auth/signing-key`,
    users: `${APP}/${env.name}/auth/users`,
  };
}

/**
 * What workloads/auth needs to start (see its config.ts): the token signing key and the users, both in
 * Secrets Manager under one customer-managed KMS key, injected by ECS as AUTH_SIGNING_KEY and
 * AUTH_USERS_JSON. ECS reads them when a task starts; a new value takes effect with the next deployment.
 */
export class AuthSecrets extends Construct {
  readonly key: kms.Key;
  readonly signingKey: secretsmanager.Secret;
  readonly users: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: { readonly env: EnvironmentConfig }) {
    super(scope, id);
    const { env } = props;
    const names = authSecretNames(env);
    this.key = new kms.Key(this, 'Key', {
      alias: `alias/${APP}-${env.name}-auth-secrets`,
      enableKeyRotation: true,
      description: `SecureCart ${env.name} auth secrets (token signing key, users)`,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // 64 characters from [A-Za-z0-9] are valid base64 for 48 random bytes (auth needs at least 32).
    this.signingKey = new secretsmanager.Secret(this, 'SigningKey', {
      secretName: names.signingKey,
      description: 'auth: HMAC-SHA256 token signing key (AUTH_SIGNING_KEY, base64)',
      encryptionKey: this.key,
      generateSecretString: {
        passwordLength: 64,
        excludePunctuation: true,
        includeSpace: false,
        requireEachIncludedType: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Starts with no users (the service starts, every login fails) until an operator stores the hashes.
    this.users = new secretsmanager.Secret(this, 'Users', {
      secretName: names.users,
      description: 'auth: users and scrypt password hashes (AUTH_USERS_JSON), maintained by operators',
      encryptionKey: this.key,
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify({ users: [] })),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.acknowledgeRotation();
  }

  /** The container's `secrets`: environment variable name → secret. */
  containerSecrets(): Record<string, ecs.Secret> {
    return {
      AUTH_SIGNING_KEY: ecs.Secret.fromSecretsManager(asInterface<secretsmanager.ISecret>(this.signingKey)),
      AUTH_USERS_JSON: ecs.Secret.fromSecretsManager(asInterface<secretsmanager.ISecret>(this.users)),
    };
  }

  private acknowledgeRotation(): void {
    acknowledge(this.signingKey, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'auth keeps one signing key in memory, read by ECS only when a task starts: a scheduled rotation would ' +
          'change nothing until tasks restart and would need a rotation Lambda plus a previous-key overlap the ' +
          'service does not have. The key is rotated by a release instead (put-secret-value, then deploy auth); ' +
          'tokens signed with the old key stop verifying within AUTH_TOKEN_TTL_SECONDS (300 s, at most 1 h).',
      },
    ]);
    acknowledge(this.users, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'This secret is not a credential to another system but the user directory itself (usernames and ' +
          'scrypt password hashes), maintained by operators; there is no counterpart for a rotation function to ' +
          'update, and passwords are changed by storing new hashes, which the next deployment picks up.',
      },
    ]);
  }
}
