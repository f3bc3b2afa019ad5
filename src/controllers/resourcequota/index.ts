/** The resource-quota controller: every ResourceQuota's status.hard and status.used kept in line. */
export { resourceQuotaController, QUOTA_RESYNC_MS } from './controller.js';
