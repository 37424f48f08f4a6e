/** The collaborators the CLI tests run with: the real ones (loader, IAM catalogue, quotas, pricing, every rule). */
import { defaultPeers } from '../../auditor/engine/peers';

export const PEERS = defaultPeers;
