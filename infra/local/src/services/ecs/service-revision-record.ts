/** A service revision: what one deployment deploys (its task definition), never changed once created. */
export interface ServiceRevisionRecord {
  arn: string;
  taskDefinition: string;
  createdAt: number;
}
