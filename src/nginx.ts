/**
 * `tugboat/nginx`: NginxIngress, the ingress adapter that runs a real nginx of its own (Debian:
 * `apt-get install nginx-light`) and reloads it on every route change.
 *
 * @packageDocumentation
 */
export { NginxIngress, NGINX_INGRESS_CONTROLLER } from './ingress-adapters/nginx/nginx-ingress.js';
export type { NginxIngressOptions } from './ingress-adapters/nginx/nginx-ingress.js';
export { renderNginxConfig } from './ingress-adapters/nginx/render-config.js';
export type { RenderTarget } from './ingress-adapters/nginx/render-config.js';
