// The driver contract's types, for the layers above the library (watch mode, programs) that must not import drivers.
export type { Driver, ActionContext, ExecOptions, GpuOffer, HeldLock, LockOwner, LockRequest, LogLine, LogOptions, SyncEntry, TargetReport } from '../drivers/driver.js';
