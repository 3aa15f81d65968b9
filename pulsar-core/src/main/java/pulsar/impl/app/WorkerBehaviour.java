package pulsar.impl.app;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import pulsar.Actor;
import pulsar.ActorBehaviour;
import pulsar.app.Application;

/**
 * What makes a spawned actor a worker of an application: it runs the application's worker
 * hooks. The application travels in the worker's params ({@link Application#WORKER_PARAM}).
 */
public final class WorkerBehaviour implements ActorBehaviour {
    /** Made by the actor, by its class name. */
    public WorkerBehaviour() {
    }

    private static Application app(Actor worker) {
        if (worker.params().get(Application.WORKER_PARAM) instanceof Application app) {
            return app;
        }
        throw new IllegalStateException("actor " + worker.aid() + " has no application in its params");
    }

    @Override
    public CompletionStage<?> onStart(Actor worker) throws Exception {
        return app(worker).workerStart(worker);
    }

    @Override
    public CompletionStage<?> onStop(Actor worker) throws Exception {
        return app(worker).workerStopping(worker);
    }

    @Override
    public void onInfo(Actor worker, Map<String, Object> info) throws Exception {
        Application app = app(worker);
        info.put("application", app.name());
        app.workerInfo(worker, info);
    }
}
