import { buildSecureCartApp } from '../src/app';

// Context from cdk.json / -c flags reaches the App through CDK_CONTEXT_JSON, which App reads itself.
const { app } = buildSecureCartApp({ nag: true });
app.synth();
