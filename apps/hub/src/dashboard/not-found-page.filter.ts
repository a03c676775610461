import { Catch, NotFoundException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';

/** The part of Express's response the filter uses. */
interface RenderingResponse {
  status(code: number): RenderingResponse;
  render(view: string, model: object): void;
}

/** Pages answer an unknown host with a page, not the JSON the API gives. */
@Catch(NotFoundException)
export class NotFoundPageFilter implements ExceptionFilter<NotFoundException> {
  catch(exception: NotFoundException, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<RenderingResponse>();
    response.status(404).render('not-found', { title: 'Not found', message: exception.message });
  }
}
