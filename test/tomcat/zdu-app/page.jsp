<%@ page session="false" trimDirectiveWhitespaces="true" contentType="application/json; charset=UTF-8" %><%--
  A page of a logged-in user: 403 without a live session, so a request that reached another
  instance than the session's own shows up as a failure.
--%><%@ include file="/WEB-INF/identity.jspf" %><%
    jakarta.servlet.http.HttpSession s = request.getSession(false);
    if (s == null || s.getAttribute("user") == null) {
        response.setStatus(403);
        out.print(identity(application, null, false, ""));
    } else {
        out.print(identity(application, s, false, ""));
    }
%>
