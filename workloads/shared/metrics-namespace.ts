/** CloudWatch metrics namespace shared by every SecureCart workload, Lambda or container. */
export const METRICS_NAMESPACE = 'SecureCart';
