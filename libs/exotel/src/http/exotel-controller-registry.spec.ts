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
  it('mounts every controller at its own path by default', () => {
    const { mounted, problems } = mountControllers(definitions);
    expect(problems).toEqual([]);
    expect(mounted.map((m) => [m.name, m.path, m.controller])).toEqual([
      ['heartbeat', 'exotel/heartbeat', HeartbeatLike],
      ['calls', 'calls', CallsLike],
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
