import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestService, type TestService } from '../support/test-service';
import { until } from '../support/until';

const DEPLOY = join(__dirname, '..', '..', 'deploy');
const ALERTS = join(DEPLOY, 'prometheus', 'alerts.yml');
const ALERT_TESTS = join(DEPLOY, 'prometheus', 'alerts.test.yml');
const DASHBOARD = join(DEPLOY, 'grafana', 'exotel.json');

/** The `exotel_*` metric names a PromQL expression reads. */
const metricsIn = (expr: string): string[] => [...new Set(expr.match(/\bexotel_[a-z0-9_]+/g) ?? [])];

const promtool = (...args: string[]) => execFileSync('promtool', args, { encoding: 'utf8', stdio: 'pipe' });

interface Dashboard {
  panels: { title: string; targets: { expr: string }[] }[];
  templating: { list: { query?: string }[] };
}

// The Prometheus rules and the Grafana dashboard in deploy/: valid, unit-tested, and over metrics
// the service really exports.
describe('the Prometheus alerts and the Grafana dashboard', () => {
  it('pass promtool check rules and promtool test rules', () => {
    expect(promtool('check', 'rules', ALERTS)).toContain('SUCCESS: 8 rules found');
    expect(promtool('test', 'rules', ALERT_TESTS)).toContain('SUCCESS');
  });

  describe('against a scrape of /metrics', () => {
    let service: TestService;
    let scrape: string;

    beforeAll(async () => {
      service = await startTestService();
      const all = service.simulator.exoPhones().length;
      await until(async () => {
        const list = (await (await fetch(`${service.url}/exophones`, { headers: service.auth })).json()) as {
          total: number;
        };
        return list.total === all;
      });
      scrape = await (await fetch(`${service.url}/metrics`)).text();
    });

    afterAll(async () => {
      await service.close();
    });

    const exported = () => new Set([...scrape.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    const sample = (series: string) =>
      Number(
        scrape
          .split('\n')
          .find((line) => line.startsWith(`${series} `))
          ?.split(' ')[1],
      );

    it('exports every metric the alerts read', () => {
      const rules = readFileSync(ALERTS, 'utf8');
      const named = metricsIn(rules);
      expect(named.length).toBeGreaterThanOrEqual(8);
      expect(named.filter((name) => !exported().has(name))).toEqual([]);
    });

    it('exports every metric the dashboard queries, and every query names one', () => {
      const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
      const queries = [
        ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
        ...dashboard.templating.list.flatMap((v) => (v.query?.includes('exotel_') ? [v.query] : [])),
      ];
      expect(queries.length).toBeGreaterThanOrEqual(15);
      expect(queries.filter((q) => metricsIn(q).length === 0)).toEqual([]);
      expect(queries.flatMap(metricsIn).filter((name) => !exported().has(name))).toEqual([]);
    });

    it('reports the fleet, the heartbeat and the tickets from the database', () => {
      const all = service.simulator.exoPhones().length;
      const states = ['active', 'partial_network_outage', 'major_outage', 'unknown'];
      const outgoing = states.map((state) =>
        sample(`exotel_exophones{direction="outgoing",state="${state}"}`),
      );
      expect(outgoing.reduce((a, b) => a + b, 0)).toBe(all);
      expect(sample('exotel_heartbeat_expected_interval_seconds')).toBe(60);
      expect(sample('exotel_heartbeat_last_applied_timestamp_seconds')).toBe(0);
      expect(sample('exotel_support_sla_breached_tickets{metric="acknowledgement"}')).toBe(0);
      expect(sample('exotel_calls_outcome_unknown')).toBe(0);
    });
  });
});
