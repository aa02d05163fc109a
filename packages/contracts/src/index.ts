// Request and response schemas shared by the server's routes and the web app.
export * from './common';
export * from './audit';
export * from './workflows';
export * from './credentials';
export * from './workspaces';
export * from './runs';
export * from './accounts';
export * from './bots';
export * from './bot-commands';
export * from './triggers';
export * from './node-types';
export * from './content';
export * from './support';
