package dev.breakglass.cli;
public class BreakGlassCli { public static void main(String[] a) {} }
