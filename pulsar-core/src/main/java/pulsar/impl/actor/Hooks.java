package pulsar.impl.actor;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import pulsar.Actor;
import pulsar.ActorBehaviour;
import pulsar.ActorHook;
import pulsar.Spawn;
import pulsar.impl.loop.LoopThreads;

/** Runs an actor's hooks: the behaviour class's methods first, then the spec's lambdas. */
final class Hooks {
    private final ActorBehaviour behaviour;
    private final Spawn spec;

    private Hooks(ActorBehaviour behaviour, Spawn spec) {
        this.behaviour = behaviour;
        this.spec = spec;
    }

    /** Instantiates the behaviour class, if any; call on the actor's loop. */
    static Hooks of(Spawn spec) throws ReflectiveOperationException {
        ActorBehaviour b = null;
        if (spec.behaviour() != null) {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            Class<?> type = Class.forName(spec.behaviour(), true, cl == null ? Hooks.class.getClassLoader() : cl);
            b = (ActorBehaviour) type.getConstructor().newInstance();
        }
        return new Hooks(b, spec);
    }

    static Hooks none() {
        return new Hooks(null, Spawn.thread());
    }

    CompletionStage<?> onStart(Actor actor) {
        return run(actor, behaviour == null ? null : behaviour::onStart, spec.onStart());
    }

    CompletionStage<?> onStop(Actor actor) {
        return run(actor, behaviour == null ? null : behaviour::onStop, spec.onStop());
    }

    void onInfo(Actor actor, java.util.Map<String, Object> info) throws Exception {
        if (behaviour != null) {
            behaviour.onInfo(actor, info);
        }
        if (spec.onInfo() != null) {
            spec.onInfo().accept(actor, info);
        }
    }

    private interface StageHook {
        CompletionStage<?> apply(Actor actor) throws Exception;
    }

    private static CompletionStage<?> run(Actor actor, StageHook first, ActorHook second) {
        CompletionStage<?> stage;
        try {
            stage = first == null ? CompletableFuture.completedFuture(null) : first.apply(actor);
            if (stage == null) {
                stage = CompletableFuture.completedFuture(null);
            }
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
        if (second == null) {
            return stage;
        }
        CompletableFuture<Object> done = LoopThreads.newFuture();
        stage.whenComplete((v, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
                return;
            }
            Runnable next = () -> {
                try {
                    second.accept(actor);
                    done.complete(null);
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            };
            if (actor.ioLoop().inLoop()) {
                next.run();
            } else {
                actor.ioLoop().execute(next); // hooks run on the actor's (I/O) loop, wherever the stage completed
            }
        });
        return done;
    }
}
