import { Controller, Get } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { mountControllers, type ExotelControllerDefinition } from './exotel-controller-registry';

@Controller('exotel/heartbeat')
class HeartbeatLike {
  @Get()
  get(): string {
    return 'ok';
  }
}

@Controller('calls')
class CallsLike {}

const definitions: ExotelControllerDefinition[] = [
  { name: 'heartbeat', kind: 'webhook', controller: HeartbeatLike, readsOwnBody: true },
  { name: 'calls', kind: 'management', controller: CallsLike },
];

describe('mountControllers', () => {
  it('mounts webhooks at their own path and management controllers under the exotel prefix by default', () => {
    const { mounted, problems } = mountControllers(definitions);
    expect(problems).toEqual([]);
    expect(mounted.map((m) => [m.name, m.path])).toEqual([
      ['heartbeat', 'exotel/heartbeat'],
      ['calls', 'exotel/calls'],
    ]);
    expect(mounted[0].controller).toBe(HeartbeatLike);
    expect(Reflect.getMetadata(PATH_METADATA, mounted[1].controller)).toBe('exotel/calls');
    expect(Reflect.getMetadata(PATH_METADATA, CallsLike)).toBe('calls');
  });

  it('mounts management controllers under another prefix, or at the root with an empty one', () => {
    expect(mountControllers(definitions, {}, '/telephony/').mounted.map((m) => m.path)).toEqual([
      'exotel/heartbeat',
      'telephony/calls',
    ]);
    const root = mountControllers(definitions, {}, '').mounted;
    expect(root.map((m) => [m.path, m.controller])).toEqual([
      ['exotel/heartbeat', HeartbeatLike],
      ['calls', CallsLike],
    ]);
    expect(mountControllers(definitions, {}, 'bad prefix').problems.map((p) => p.path)).toEqual([
      'managementPrefix',
    ]);
  });

  it('leaves out disabled controllers', () => {
    expect(mountControllers(definitions, { calls: false }).mounted.map((m) => m.name)).toEqual(['heartbeat']);
    expect(
      mountControllers(definitions, { heartbeat: { enabled: false } }).mounted.map((m) => m.name),
    ).toEqual(['calls']);
  });

  it('moves a controller without touching the original class', () => {
    const { mounted } = mountControllers(definitions, { heartbeat: { path: '/hooks/exotel-hb/' } });
    const moved = mounted[0].controller;
    expect(moved).not.toBe(HeartbeatLike);
    expect(moved.name).toBe('HeartbeatLike');
    expect(Reflect.getMetadata(PATH_METADATA, moved)).toBe('hooks/exotel-hb');
    expect(Reflect.getMetadata(PATH_METADATA, HeartbeatLike)).toBe('exotel/heartbeat');
    expect(new (moved as new () => HeartbeatLike)().get()).toBe('ok');
  });

  it('reports unknown names and empty paths', () => {
    const { problems } = mountControllers(definitions, { hearbeat: false, calls: { path: '/' } });
    expect(problems.map((p) => p.path)).toEqual(['controllers.hearbeat', 'controllers.calls.path']);
  });
});
