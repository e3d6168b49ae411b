package dev.breakglass.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Every {@code @FunctionName} method with an HTTP trigger in this package, found by reflection (not listed by hand,
 * so a route another change adds is fuzzed too), keyed by {@code METHOD /route}, and invoked the way the Functions
 * host binds it: the request, the route's {@code @BindingName} values, an execution context.
 */
final class HttpFunctionRoutes {

    /** One HTTP-triggered function method on its instance. */
    record Route(Object function, Method method) {

        HttpResponseMessage invoke(HttpRequestMessage<?> request, Map<String, String> pathValues) {
            Object[] arguments = Arrays.stream(method.getParameters()).map(p -> argument(p, request, pathValues))
                    .toArray();
            try {
                return (HttpResponseMessage) method.invoke(function, arguments);
            } catch (InvocationTargetException e) {
                // An exception out of a function is the host's 500 with no body: rethrown so the test fails on it.
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        private static Object argument(Parameter parameter, HttpRequestMessage<?> request, Map<String, String> values) {
            if (parameter.isAnnotationPresent(HttpTrigger.class)) {
                return request;
            }
            if (parameter.isAnnotationPresent(BindingName.class)) {
                return values.get(parameter.getAnnotation(BindingName.class).value());
            }
            if (parameter.getType() == ExecutionContext.class) {
                return FunctionsHost.context();
            }
            throw new IllegalStateException("cannot bind " + parameter);
        }
    }

    private HttpFunctionRoutes() {
    }

    /** Instances built as the HTTP functions' tests build them: the app and the caller check. */
    static Map<String, Route> discover(Supplier<FunctionsApp> app, CallerAuthorization authorization) {
        Map<String, Route> routes = new HashMap<>();
        for (Class<?> type : functionClasses()) {
            for (Method method : type.getMethods()) {
                HttpTrigger trigger = httpTrigger(method);
                if (method.isAnnotationPresent(FunctionName.class) && trigger != null) {
                    Object function = instance(type, app, authorization);
                    for (var verb : trigger.methods()) {
                        routes.put(verb.name() + " /" + trigger.route(), new Route(function, method));
                    }
                }
            }
        }
        return routes;
    }

    private static HttpTrigger httpTrigger(Method method) {
        return Arrays.stream(method.getParameters()).map(p -> p.getAnnotation(HttpTrigger.class))
                .filter(a -> a != null).findFirst().orElse(null);
    }

    private static Object instance(Class<?> type, Supplier<FunctionsApp> app, CallerAuthorization authorization) {
        try {
            var constructor = type.getDeclaredConstructor(Supplier.class, CallerAuthorization.class);
            constructor.setAccessible(true);
            return constructor.newInstance(app, authorization);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getSimpleName() + " has no (Supplier<FunctionsApp>, "
                    + "CallerAuthorization) constructor for tests", e);
        }
    }

    /**
     * The classes of the functions package, where they were loaded from: target/classes when a single IT runs, the
     * packaged jar under {@code mvn verify} (Failsafe puts the jar on the class path).
     */
    private static Iterable<Class<?>> functionClasses() {
        String packagePath = FunctionsApp.class.getPackageName().replace('.', '/');
        try {
            Path location = Path.of(FunctionsApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                return classesIn(location.resolve(packagePath));
            }
            try (FileSystem jar = FileSystems.newFileSystem(location)) {
                return classesIn(jar.getPath(packagePath));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Class<?>> classesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".class") && !name.contains("$"))
                    .<Class<?>>map(name -> load(FunctionsApp.class.getPackageName() + "." + name.replace(".class", "")))
                    .toList();
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
