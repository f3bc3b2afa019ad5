/** The CronJob controller. */
export { cronJobController } from './controller.js';
export { parseSchedule, type Schedule } from './schedule.js';
