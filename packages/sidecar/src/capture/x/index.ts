// Capturing windows of existing programs from the X display: what the session and the request handlers use.
export { closeXConnection } from './connection.js';
export { listWindows, type WindowInfo } from './list-windows.js';
export { openXWindow, XWindowSource, type XWindowOptions } from './window-source.js';
