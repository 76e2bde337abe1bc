/** A small application on the module path: it names tlsupgrade's core only; backends come by service binding. */
module tlsupgrade.app {
    requires dev.tlsupgrade.core;
}
