// Request and response schemas shared by the server's routes and the web app.
export * from './common';
export * from './audit';
export * from './workflows';
export * from './credentials';
export * from './workspaces';
export * from './runs';
