package org.rumpmount.cli;

/** Entry point placeholder; the command line lands with its tests. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("rumpmount");
    }
}
