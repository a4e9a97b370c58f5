import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, judgeHttpExposure, parseConfig } from '../../proxy/config/index.js';

/** No cluster here: these check that the manifests agree with each other and with the proxy. */
const HERE = fileURLToPath(new URL('.', import.meta.url));
const read = (name: string): string => readFileSync(`${HERE}${name}`, 'utf8');
const load = <T>(name: string): T => {
  const docs = parseAllDocuments(read(name));
  expect(docs).toHaveLength(1);
  return docs[0]!.toJS() as T;
};

interface Port {
  name: string;
  containerPort: number;
}
interface Container {
  name: string;
  image: string;
  args: string[];
  ports: Port[];
  readinessProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { tcpSocket?: { port: string }; httpGet?: unknown };
  securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean };
  volumeMounts: { name: string; mountPath: string }[];
}
interface Deployment {
  kind: string;
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: {
        securityContext: { runAsNonRoot: boolean; runAsUser: number };
        containers: Container[];
        volumes: { name: string; configMap: { name: string } }[];
      };
    };
  };
}
interface ConfigMap {
  kind: string;
  metadata: { name: string };
  data: Record<string, string>;
}
interface Service {
  kind: string;
  spec: { selector: Record<string, string>; ports: { name: string; port: number; targetPort: string }[] };
}

const kustomization = load<{ resources: string[]; images: { name: string }[] }>('kustomization.yaml');
const deployment = load<Deployment>('deployment.yaml');
const configMap = load<ConfigMap>('configmap.yaml');
const service = load<Service>('service.yaml');
const pod = deployment.spec.template;
const proxy = pod.spec.containers[0]!;
const portNamed = (name: string): number | undefined =>
  proxy.ports.find((p) => p.name === name)?.containerPort;

/** The config file the container is started with, read through the ConfigMap volume. */
function mountedConfig(): { key: string; text: string } {
  const configPath = proxy.args[proxy.args.indexOf('--config') + 1] ?? '';
  const mount = proxy.volumeMounts.find((m) => configPath.startsWith(`${m.mountPath}/`));
  expect(mount, `a volume mounted over ${configPath}`).toBeDefined();
  const volume = pod.spec.volumes.find((v) => v.name === mount!.name);
  expect(volume?.configMap.name).toBe(configMap.metadata.name);
  const key = configPath.slice(mount!.mountPath.length + 1);
  return { key, text: configMap.data[key] ?? '' };
}

describe('deploy/k8s', () => {
  it('lists every manifest in the kustomization, and the image it renames is the one deployed', () => {
    for (const file of kustomization.resources) expect(existsSync(`${HERE}${file}`), file).toBe(true);
    expect(kustomization.resources).toEqual(
      expect.arrayContaining(['configmap.yaml', 'deployment.yaml', 'service.yaml']),
    );
    expect(kustomization.images.map((i) => i.name)).toContain(proxy.image);
  });

  it('starts the proxy with a config from the ConfigMap that the proxy accepts', () => {
    expect(proxy.args.slice(0, 2)).toEqual(['proxy', '--config']);
    const { key, text } = mountedConfig();
    expect(text, `ConfigMap key ${key}`).not.toBe('');
    const config = parseConfig(JSON.parse(text));
    // The API is reachable from the kubelet, so it needs (and has) a token.
    expect(judgeHttpExposure({ ...config.http, requireToken: true })).toBeNull();
    expect(isLoopbackAddress(config.http.listen!.host)).toBe(false);
    expect(isLoopbackAddress(config.proxy.listen.host)).toBe(false);
    // Ready only with a live pool session: keep-warm dials without waiting for a miner.
    expect(config.upstream.mode).toBe('keep-warm');
  });

  it('probes readiness on /healthz and scrapes /metrics on the port the config serves HTTP on', () => {
    const config = parseConfig(JSON.parse(mountedConfig().text));
    const httpPort = config.http.listen!.port;
    expect(proxy.readinessProbe.httpGet.path).toBe('/healthz');
    expect(portNamed(proxy.readinessProbe.httpGet.port)).toBe(httpPort);
    // Liveness must not follow the pool: a pool outage would restart every proxy.
    expect(proxy.livenessProbe.httpGet).toBeUndefined();
    expect(portNamed(proxy.livenessProbe.tcpSocket!.port)).toBe(httpPort);
    expect(pod.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(httpPort),
      'prometheus.io/path': '/metrics',
    });
  });

  it('puts several replicas behind a Service on the Stratum port', () => {
    const config = parseConfig(JSON.parse(mountedConfig().text));
    expect(deployment.spec.replicas).toBeGreaterThan(1);
    expect(pod.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
    expect(pod.metadata.labels).toMatchObject(service.spec.selector);
    const stratum = service.spec.ports.find((p) => p.name === 'stratum');
    expect(stratum?.targetPort).toBe('stratum');
    expect(portNamed('stratum')).toBe(config.proxy.listen.port);
  });

  it('runs as the image user, without privileges, on a read-only root filesystem', () => {
    const dockerfile = readFileSync(`${HERE}../docker/Dockerfile`, 'utf8');
    const user = /^USER (\d+):\d+$/m.exec(dockerfile)?.[1];
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: Number(user) });
    expect(proxy.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
  });

  it('parses as plain YAML (no templating left to fill in)', () => {
    for (const file of kustomization.resources) expect(() => parse(read(file))).not.toThrow();
  });
});
