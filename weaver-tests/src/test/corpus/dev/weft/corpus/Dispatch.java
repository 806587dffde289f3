package dev.weft.corpus;

import dev.weft.AsyncCallable;
import dev.weft.annotation.Async;
import dev.weft.weaver.testing.Probe;
import java.util.function.Supplier;

/** Instance, static, private, default, interface and super calls; lambdas and method references. */
public class Dispatch {
    interface Shape {
        @Async String name();

        @Async
        default String describe() {
            Probe.point();
            return "shape " + name() + helper();
        }

        @Async
        private String helper() {
            Probe.point();
            return "!";
        }

        @Async
        static String make(Shape s) {
            return "[" + s.describe() + "]";
        }
    }

    static class Square implements Shape {
        final int side;
        Square(int side) { this.side = side; }
        @Async @Override public String name() { Probe.point(); return "square" + side; }
        @Async int area() { Probe.point(); return side * side; }
    }

    static class Cube extends Square {
        Cube(int side) { super(side); }
        @Async @Override public String name() { Probe.point(); return "cube/" + super.name(); }
        @Async @Override int area() { return 6 * super.area(); }
    }

    /** A generic @Async interface: implementations get bridge methods. */
    interface Transformer<T> {
        @Async T apply(T in);
    }

    static final class Upper implements Transformer<String> {
        @Async @Override public String apply(String in) { Probe.point(); return in.toUpperCase(); }
    }

    @FunctionalInterface
    interface AsyncIntOp {
        @Async int apply(int x);
    }

    private int counter;

    @Async
    private int bump(int by) {
        Probe.point();
        counter += by;
        return counter;
    }

    @Async
    static int twice(AsyncIntOp op, int x) {
        return op.apply(op.apply(x));
    }

    @Async
    static int triple(int x) {
        Probe.point();
        return 3 * x;
    }

    @Async
    public static String run() throws Exception {
        StringBuilder log = new StringBuilder();
        Shape sq = new Square(2);
        Shape cube = new Cube(3);
        log.append(sq.describe()).append(' ').append(Shape.make(cube)).append(' ');
        log.append(((Square) cube).area()).append(' ');
        Transformer<String> up = new Upper();
        log.append(up.apply("abc")).append(' ');
        Dispatch d = new Dispatch();
        log.append(d.bump(2)).append(d.bump(3)).append(' ');
        int base = 5;
        AsyncIntOp addBase = x -> { Probe.point(); return x + base + d.bump(1); };
        log.append(twice(addBase, 1)).append(' ');
        log.append(twice(Dispatch::triple, 2)).append(' ');
        AsyncCallable<String> call = () -> sq.describe() + cube.describe();
        log.append(call.call()).append(' ');
        Supplier<String> plain = () -> "plain";
        log.append(plain.get()).append(' ');
        AsyncIntOp anon = new AsyncIntOp() {
            @Async
            @Override
            public int apply(int x) {
                Probe.point();
                return x - 1;
            }
        };
        log.append(twice(anon, 10));
        return log.toString();
    }
}
