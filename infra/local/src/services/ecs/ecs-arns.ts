/** Where an ECS resource lives: every ARN names its Region and account. */
export interface Home {
  region: string;
  account: string;
}

const prefix = (home: Home) => `arn:aws:ecs:${home.region}:${home.account}`;

export const clusterArn = (home: Home, cluster: string) => `${prefix(home)}:cluster/${cluster}`;

export const serviceArn = (home: Home, cluster: string, service: string) =>
  `${prefix(home)}:service/${cluster}/${service}`;

export const taskDefinitionArn = (home: Home, family: string, revision: number) =>
  `${prefix(home)}:task-definition/${family}:${revision}`;

export const serviceRevisionArn = (home: Home, cluster: string, service: string, id: string) =>
  `${prefix(home)}:service-revision/${cluster}/${service}/${id}`;

export const serviceDeploymentArn = (home: Home, cluster: string, service: string, id: string) =>
  `${prefix(home)}:service-deployment/${cluster}/${service}/${id}`;

export const taskSetArn = (home: Home, cluster: string, service: string, id: string) =>
  `${prefix(home)}:task-set/${cluster}/${service}/${id}`;

/** The last segment of an ARN or a name (`cluster/<name>` → `<name>`). */
export function nameOf(nameOrArn: string): string {
  return nameOrArn.includes(':') ? (nameOrArn.split('/').at(-1) ?? nameOrArn) : nameOrArn;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** An id in ECS's style for service deployments and hooks (random letters and digits). */
export function randomId(length: number): string {
  let id = '';
  for (let i = 0; i < length; i += 1) id += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return id;
}
