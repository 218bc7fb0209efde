/*
 * CodeNarc ruleset for Cloud Integration scripts: SAP's upgrade-readiness checks and scripting
 * guidelines (groovy/FACTS §1.2 and §3) plus the usual hygiene rules. Run by
 * harness.scripthost.codenarc over groovy/scripts; tests/groovy fails on any violation.
 */
ruleset {
    description 'Cloud Integration Groovy scripts (Script step 1.x on Groovy 2.4 and 2.x on Groovy 4)'

    // Classes that do not exist on one of the runtimes, or that SAP flags
    IllegalClassReference {
        name = 'CpiIllegalClass'
        classNames = 'groovy.util.XmlSlurper, groovy.util.XmlParser, groovy.util.Eval, Eval, ' +
            'javax.xml.bind.DatatypeConverter, groovy.util.slurpersupport.GPathResult'
        priority = 1
    }
    IllegalPackageReference {
        name = 'CpiUnsupportedLibrary'
        packageNames = 'org.apache.camel, org.apache.camel.*, org.osgi.framework, org.osgi.service.event, ' +
            'org.quartz, org.springframework, org.springframework.*, com.zaxxer.hikari, groovy.sql, ' +
            'net.sf.saxon, net.sf.saxon.*, javax.xml.bind'
        priority = 1
    }
    IllegalRegex {
        name = 'CpiDefaultTimeZone'
        regex = /TimeZone\s*\.\s*setDefault/
        priority = 1
    }
    IllegalRegex {
        name = 'CpiSystemEnvironment'
        regex = /System\s*\.\s*(getenv|getProperty|setProperty)\s*\(/
        priority = 1
    }
    IllegalRegex {
        name = 'CpiParseWholeBodyString'
        description = 'Parse large bodies from a Reader: parseText(message.getBody(String)) copies the body'
        regex = /parseText\s*\(\s*\w+\s*\.\s*getBody\s*\(\s*(java\.lang\.)?String/
        priority = 2
    }
    IllegalRegex {
        name = 'CpiMarkupByConcatenation'
        description = 'Build XML with MarkupBuilder/StreamingMarkupBuilder and JSON with JsonBuilder/JsonOutput'
        regex = /(['"]\s*<\/?[A-Za-z][\w:.-]*[^'"]*['"]\s*\+)|(\+\s*['"]<\/[A-Za-z])|('\s*[\{\[]\s*"[^']*'\s*\+)|("\s*[\{\[]\s*\\"[^"]*"\s*\+)/
        priority = 2
    }
    IllegalRegex {
        name = 'CpiSleep'
        regex = /Thread\s*\.\s*sleep\s*\(/
        priority = 2
    }
    SystemExit { priority = 1 }
    Println { priority = 2 }
    PrintStackTrace { priority = 2 }
    SystemOutPrint { priority = 2 }
    SystemErrPrint { priority = 2 }

    // Imports (SAP's editor flags unused ones)
    UnusedImport { priority = 2 }
    DuplicateImport { priority = 2 }
    UnnecessaryGroovyImport { priority = 3 }
    ImportFromSamePackage { priority = 3 }

    // Exceptions
    EmptyCatchBlock { priority = 2 }
    CatchThrowable { priority = 2 }
    CatchError { priority = 2 }
    ThrowThrowable { priority = 2 }

    // Basic correctness
    BrokenOddnessCheck
    ComparisonWithSelf
    ConstantIfExpression
    DeadCode
    DuplicateCaseStatement
    EmptyIfStatement
    EmptyElseBlock
    EmptyMethod
    EqualsAndHashCode
    ReturnFromFinallyBlock
    ThrowExceptionFromFinallyBlock
    UnusedVariable
    UnusedPrivateMethod
    UnusedMethodParameter { ignoreRegex = 'message|ignored|_' ; priority = 3 }
}
