/** The release every workload is live at once the local cloud has provisioned it (what the demo and tests release from). */
export const INITIAL_RELEASE = '1.0.0';
