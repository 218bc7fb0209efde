package com.sap.gateway.ip.core.customdev.util;

import javax.xml.namespace.QName;

/** A SOAP header block as the SOAP adapters hand it to scripts (name, XML value, flags). */
public class SoapHeader {
    private final QName name;
    private final String value;
    private final boolean mustUnderstand;
    private final String actor;

    public SoapHeader(QName name, String value, boolean mustUnderstand, String actor) {
        this.name = name;
        this.value = value;
        this.mustUnderstand = mustUnderstand;
        this.actor = actor;
    }

    public QName getName() {
        return name;
    }

    public String getValue() {
        return value;
    }

    public boolean isMustUnderstand() {
        return mustUnderstand;
    }

    public String getActor() {
        return actor;
    }

    @Override
    public String toString() {
        return "SoapHeader[" + name + "]";
    }
}
