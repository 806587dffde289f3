package dev.weft.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method whose execution can be suspended and resumed by the Weft scheduler.
 *
 * <p>An {@code @Async} method is ordinary Java: it keeps its signature, returns its value
 * and throws its exceptions as written. The Weft weaver (the Maven plugin at build time, or
 * the Java agent at class-load time) rewrites it into a resumable state machine. Every call
 * an {@code @Async} method makes to another {@code @Async} method is a <em>suspension
 * point</em>: the place where the current task may give up the scheduler thread and other
 * tasks may run. Calls to methods that are not {@code @Async} never suspend, so every place
 * where tasks can interleave is visible in the source and known at build time.
 *
 * {@snippet :
 * @Async
 * String fetchBoth(Client client) {
 *     String a = client.get("/a");   // suspension point: Client.get is @Async
 *     String b = client.get("/b");   // suspension point
 *     return a + b;                  // plain code: never interleaves
 * }
 * }
 *
 * <h2>Where it may stand</h2>
 * <ul>
 *   <li>On instance, static, private, interface default and abstract interface methods.
 *   <li>On the single abstract method of a functional interface: lambdas and method
 *       references that implement it are woven too, so they may call {@code @Async} code.
 *   <li>Never on constructors or static initializers (the annotation's target excludes
 *       constructors; a class file from another compiler that carries it there anyway is
 *       refused by the weaver), and never on {@code native} methods.
 * </ul>
 *
 * <h2>Whether a call is async</h2>
 * Decided statically, from the method named at the call site (its static target, found
 * through the class hierarchy), never from the object at run time. Consequently:
 * <ul>
 *   <li>A method that overrides or implements another must agree with it: both
 *       {@code @Async} or neither.
 *   <li>An interface method whose implementations suspend must itself be {@code @Async}.
 * </ul>
 *
 * <h2>What the weaver refuses</h2>
 * Each refusal is a weave error naming the file, line, method and the fix:
 * <ul>
 *   <li>a method that is not {@code @Async} calling one that is (annotate the caller, or
 *       start the callee as a task);
 *   <li>a lambda or method reference whose functional interface method is not
 *       {@code @Async} but whose body calls {@code @Async} code, such as
 *       {@code list.forEach(x -> fetch(x))} (use a loop);
 *   <li>an override whose async-ness differs from the method it overrides;
 *   <li>a call to an {@code @Async} method while a monitor is held ({@code synchronized}
 *       block or method): on one scheduler thread a monitor excludes nothing; use
 *       Weft's {@code Lock} instead;
 *   <li>{@code @Async} on a constructor, static initializer or native method;
 *   <li>a class file newer than the weaver knows.
 * </ul>
 *
 * <p>The annotation is retained in class files (not at run time): the weaver and its
 * class-hierarchy look-ups read it from class files and never load user classes.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Async {
}
